// Seat map rendering benchmark (not a test; figures for BENCHMARKS.md "Seat map rendering"): a
// 10,000-seat seated sale on the real stack, its page opened in headless Chromium as a phone
// (390×844, 2× pixels) with the CPU throttled 4× (CDP Emulation.setCPUThrottlingRate).
//  - time to first draw: navigation start → the map's first canvas draw (performance mark
//    'seat-map-first-draw', which comes after the layout and the map have arrived), cold, N loads;
//  - per-frame cost: while shoppers pick through the API at a steady rate, every live frame's
//    apply ('seat-frame-apply': the state copy and the changes) and the redraw it causes
//    ('seat-map-draw': all 10,000 seats, one path per colour), as measured in the page.
// Run by loadtest/bench-seatmap.sh (which starts the stack like check 55); prints a Markdown table.
import { api, assert, launch, logIn, newShopper } from './harness.mjs';

const EDGE = `http://127.0.0.1:${process.env.E2E_EDGE_PORT ?? 18400}`;
const LOADS = Number(process.env.BENCH_LOADS ?? 5);
const PICKERS = Number(process.env.BENCH_PICKERS ?? 40);
const RATE = Number(process.env.BENCH_PICK_RATE ?? 20); // picks per second
const THROTTLE = Number(process.env.BENCH_CPU_THROTTLE ?? 4);

const admin = await logIn('admin@test.com', 'adminadmin');
const product = await api('/api/admin/products', { method: 'POST', token: admin.token, body: { sku: `bench-seatmap-${Date.now()}`, name: 'Bench ticket' } });
// 4 areas × 25 rows × 100 seats = 10,000 seats.
const venue = await api('/api/admin/venues', {
  method: 'POST', token: admin.token,
  body: { name: `Bench arena ${Date.now()}`, areas: ['Stalls', 'Circle', 'Upper', 'Balcony'].map((name) => ({ name, rows: 25, seatsPerRow: 100 })) },
});
assert(venue.seatCount === 10_000, `the venue has ${venue.seatCount} seats`);
const now = Date.now();
const sale = await api(`/api/admin/venues/${venue.id}/sales`, {
  method: 'POST', token: admin.token,
  body: { productId: product.id, title: 'Bench concert', currency: 'EUR', opensAt: new Date(now - 1000).toISOString(), closesAt: new Date(now + 3600_000).toISOString(), areaPrices: { Stalls: 8900, Circle: 6500, Upper: 4500, Balcony: 3900 }, seatLimit: 4, queueEnabled: false },
});
await api(`/api/admin/sales/${sale.id}/arm`, { method: 'POST', token: admin.token });

const browser = await launch();
const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { n: s.length, p50: q(0.5), p95: q(0.95), max: s[s.length - 1] };
};
async function phone() {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
  return { context, page };
}

const firstDraws = [];
for (let i = 0; i < LOADS; i++) {
  const { context, page } = await phone();
  await page.goto(`${EDGE}/sales/${sale.id}`);
  await page.locator('canvas[data-drawn="true"]').waitFor({ timeout: 60_000 });
  firstDraws.push(await page.evaluate(() => performance.getEntriesByName('seat-map-first-draw')[0].startTime));
  await context.close();
}

const { context, page } = await phone();
await page.goto(`${EDGE}/sales/${sale.id}`);
await page.locator('canvas[data-drawn="true"]').waitFor({ timeout: 60_000 });
await page.evaluate(() => performance.clearMeasures());
const shoppers = await Promise.all(Array.from({ length: PICKERS }, (_, i) => newShopper(`bench-seat-${i}`)));
const areas = ['Stalls', 'Circle', 'Upper', 'Balcony'];
let picks = 0;
const started = Date.now();
// Each shopper picks twice (best 2 in an area), one pick every 1/RATE s: 2 × PICKERS picks.
for (let round = 0; round < 2; round++) {
  for (const [i, shopper] of shoppers.entries()) {
    const due = started + (picks * 1000) / RATE;
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    await api(`/api/sales/${sale.id}/seats/pick`, { method: 'POST', token: shopper.token, headers: { 'Idempotency-Key': `bench-${round}-${i}` }, body: { area: areas[(i + round) % 4], count: 2 } });
    picks++;
  }
}
const elapsed = (Date.now() - started) / 1000;
// The last frames reach the page within the feed's interval: wait until none came for 1.5 s.
for (let last = -1, count = 0; count !== last; await new Promise((r) => setTimeout(r, 1500))) {
  last = count;
  count = await page.evaluate(() => performance.getEntriesByName('seat-frame-apply').length);
}
const applies = await page.evaluate(() => performance.getEntriesByName('seat-frame-apply').map((e) => e.duration));
const draws = await page.evaluate(() => performance.getEntriesByName('seat-map-draw').map((e) => e.duration));
await context.close();
await browser.close();

const f = (ms) => `${ms.toFixed(2)} ms`;
const first = stats(firstDraws);
const apply = stats(applies);
const draw = stats(draws);
console.log(`\nSeat map, 10,000 seats, phone 390×844 @2x, CPU throttled ${THROTTLE}×, ${new Date().toISOString()}`);
console.log(`${picks} picks of 2 seats in ${elapsed.toFixed(1)} s (${(picks / elapsed).toFixed(1)}/s), ${apply.n} live frames applied\n`);
console.log('| measure | n | p50 | p95 | max |');
console.log('| --- | ---: | ---: | ---: | ---: |');
console.log(`| time to first draw (navigation start → map drawn, cold) | ${first.n} | ${f(first.p50)} | ${f(first.p95)} | ${f(first.max)} |`);
console.log(`| live frame apply (state copy + changes) | ${apply.n} | ${f(apply.p50)} | ${f(apply.p95)} | ${f(apply.max)} |`);
console.log(`| redraw of all 10,000 seats | ${draw.n} | ${f(draw.p50)} | ${f(draw.p95)} | ${f(draw.max)} |`);
