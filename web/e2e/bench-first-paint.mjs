// First paint of the built app, cold: how long until a shopper sees something, on a desktop and on
// a throttled phone (4× slower CPU, 1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip: the
// "slow 4G" of Lighthouse). A benchmark, not a test: it prints what it measured and fails only
// when it could not measure. loadtest/bench-first-paint.sh builds the app and serves it with the
// edge's nginx configuration; this script only needs BENCH_URL (the edge's address).
//
// Each run is a new browser context (empty HTTP cache, no service worker, no cookies), so every
// byte comes over the emulated network. Figures per page and profile are the median of RUNS.
//   first contentful paint  the browser's own paint timing entry (text or image on screen)
//   app rendered            React replaced the prerendered shell in #root (the route's code ran)
//   transferred             bytes over the wire until "load" (compressed sizes)
import { launch } from './harness.mjs';

const BASE = process.env.BENCH_URL ?? 'http://127.0.0.1:18400';
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PAGES = (process.env.BENCH_PAGES ?? '/,/sales/1,/login').split(',');
const PROFILES = [
  { name: 'desktop', viewport: { width: 1366, height: 900 }, cpu: 1, network: null },
  {
    name: 'phone (4× CPU, 1.6 Mbit/s, 150 ms)', viewport: { width: 390, height: 844 }, mobile: true, cpu: 4,
    network: { offline: false, latency: 150, downloadThroughput: (1.6e6 / 8) * 0.9, uploadThroughput: (750e3 / 8) * 0.9 },
  },
];

// Runs in the page before any of its scripts: notes when #root stops holding the shell.
function watchShell() {
  const mark = () => {
    const root = document.getElementById('root');
    if (root && !root.querySelector('[data-shell]') && root.childElementCount > 0 && window.__appRendered === undefined) {
      window.__appRendered = performance.now();
    }
  };
  new MutationObserver(mark).observe(document, { childList: true, subtree: true });
}

async function measure(browser, profile, path) {
  const context = await browser.newContext({
    viewport: profile.viewport, deviceScaleFactor: 1, isMobile: !!profile.mobile, hasTouch: !!profile.mobile,
  });
  try {
    const page = await context.newPage();
    await page.addInitScript(watchShell);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    if (profile.network) await cdp.send('Network.emulateNetworkConditions', profile.network);
    if (profile.cpu > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpu });
    let bytes = 0;
    cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
    await page.goto(BASE + path, { waitUntil: 'load', timeout: 60_000 });
    const timings = await page.evaluate(() => new Promise((resolve) => {
      const done = () => {
        const fcp = performance.getEntriesByName('first-contentful-paint')[0];
        if (fcp && window.__appRendered !== undefined) {
          resolve({ fcp: fcp.startTime, app: window.__appRendered });
          return true;
        }
        return false;
      };
      if (!done()) {
        const timer = setInterval(() => { if (done()) clearInterval(timer); }, 20);
        setTimeout(() => { clearInterval(timer); resolve({ fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN, app: window.__appRendered ?? NaN }); }, 15_000);
      }
    }));
    return { ...timings, bytes };
  } finally {
    await context.close();
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const ms = (v) => (Number.isFinite(v) ? `${Math.round(v)} ms` : 'n/a');

const browser = await launch();
const rows = [];
try {
  for (const profile of PROFILES) {
    for (const path of PAGES) {
      await measure(browser, profile, path); // a throwaway run: nginx's and the OS's file caches warm
      const runs = [];
      for (let i = 0; i < RUNS; i++) runs.push(await measure(browser, profile, path));
      const row = {
        profile: profile.name, path,
        fcp: median(runs.map((r) => r.fcp)), app: median(runs.map((r) => r.app)), bytes: median(runs.map((r) => r.bytes)),
        fcps: runs.map((r) => Math.round(r.fcp)),
      };
      rows.push(row);
      console.error(`${row.profile} ${path}: FCP ${row.fcps.join(', ')} ms`);
    }
  }
} finally {
  await browser.close();
}

console.log(`\nFirst paint, cold cache, median of ${RUNS} (${BASE})\n`);
console.log('| profile | page | first contentful paint | app rendered | transferred | FCP of each run |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const r of rows) {
  console.log(`| ${r.profile} | \`${r.path}\` | **${ms(r.fcp)}** | ${ms(r.app)} | ${(r.bytes / 1024).toFixed(1)} KiB | ${r.fcps.join(', ')} |`);
}
if (rows.some((r) => !Number.isFinite(r.fcp))) {
  console.error('some runs never painted');
  process.exit(1);
}
