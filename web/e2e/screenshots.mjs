// Screenshot checks: a screen, captured in the browser, compared pixel by pixel (pixelmatch) with
// its committed baseline in e2e/screenshots/. What changes from run to run (countdown digits,
// clock times, order codes, e-mail addresses, the live chart) is masked with a solid box, and the
// capture is repeated until two in a row agree, so a screen is compared only once it has settled.
// E2E_UPDATE_SCREENSHOTS=1 writes the captures as the new baselines (and the README's pictures).
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { ARTIFACTS, openPages } from './harness.mjs';

const BASELINES = new URL('./screenshots/', import.meta.url).pathname;
const README_SHOTS = new URL('../../docs/screenshots/', import.meta.url).pathname;
const UPDATE = process.env.E2E_UPDATE_SCREENSHOTS === '1';
const OUT = join(ARTIFACTS, 'screenshots');
mkdirSync(OUT, { recursive: true });
/**
 * Share of the pixels that may differ after pixelmatch's own colour and anti-aliasing tolerance:
 * 0.02 % (about 250 pixels on the desktop, 65 on the phone), less than one changed word.
 */
const MAX_DIFF_RATIO = Number(process.env.E2E_SCREENSHOT_TOLERANCE ?? 0.0002);
const MASK_COLOUR = '#ff00ff';

export const SIZES = {
  desktop: { viewport: { width: 1366, height: 900 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
};

/**
 * A browser profile of a screen size for screenshots: fixed locale and time zone, so dates read
 * the same on every machine; light theme unless told otherwise.
 */
export async function openScreen(browser, size, { session, colorScheme = 'light' } = {}) {
  const context = await browser.newContext({
    ...SIZES[size], deviceScaleFactor: 1, locale: 'en-GB', timezoneId: 'UTC', colorScheme, reducedMotion: 'reduce',
  });
  context.setDefaultTimeout(20_000);
  if (session) {
    await context.addInitScript((s) => {
      if (!localStorage.getItem('miaosha.session')) localStorage.setItem('miaosha.session', JSON.stringify(s));
    }, session);
  }
  const page = await context.newPage();
  openPages.push(page);
  return page;
}

/** What every screen masks: the signed-in address in the header. */
const alwaysMasked = (page) => [page.getByTestId('signed-in-as')];

/** The viewport, or only `element` (a locator) when the rest of the page changes from run to run. */
async function capture(page, mask, element) {
  return (element ?? page).screenshot({ animations: 'disabled', caret: 'hide', mask, maskColor: MASK_COLOUR, scale: 'css' });
}

function difference(a, b) {
  const one = PNG.sync.read(a);
  const two = PNG.sync.read(b);
  if (one.width !== two.width || one.height !== two.height) {
    return { pixels: Infinity, ratio: Infinity, why: `size ${two.width}×${two.height} instead of ${one.width}×${one.height}` };
  }
  const diff = new PNG({ width: one.width, height: one.height });
  const pixels = pixelmatch(one.data, two.data, diff.data, one.width, one.height, { threshold: 0.1 });
  return { pixels, ratio: pixels / (one.width * one.height), diff: PNG.sync.write(diff) };
}

/**
 * Captures `name` (a viewport screenshot, masks applied) and compares it with its baseline.
 * Returns a sentence when it does not match (the scenario collects them and fails once, naming
 * every screen that changed); the expected, actual and diff images land in the artifacts.
 * `readme` names a picture in docs/screenshots/ that an update run writes, unmasked.
 */
export async function checkScreen(page, name, { mask = [], readme, element } = {}) {
  await page.mouse.move(0, 0);
  await page.evaluate(() => document.fonts.ready);
  // Every picture on screen has loaded; a lazy one below the fold never starts, and is not in the capture.
  await page.waitForFunction(() => [...document.images].every((img) => img.complete
    || (img.loading === 'lazy' && img.getBoundingClientRect().top >= window.innerHeight)));
  const masks = [...alwaysMasked(page), ...mask];
  let previous = await capture(page, masks, element);
  let actual;
  // Until two captures in a row agree, for as long as a loaded machine needs (a busy one paints late).
  const deadline = Date.now() + 30_000;
  for (;;) {
    await page.waitForTimeout(250);
    actual = await capture(page, masks, element);
    if (difference(previous, actual).pixels === 0) break;
    previous = actual;
    if (Date.now() > deadline) return `${name}: the screen never settled (two captures in a row always differed for 30 s)`;
  }
  writeFileSync(join(OUT, `${name}-actual.png`), actual);
  const baseline = join(BASELINES, `${name}.png`);
  if (UPDATE) {
    mkdirSync(BASELINES, { recursive: true });
    writeFileSync(baseline, actual);
    if (readme) {
      mkdirSync(README_SHOTS, { recursive: true });
      const plain = join(OUT, `${name}-unmasked.png`);
      await page.screenshot({ path: plain, animations: 'disabled', caret: 'hide', scale: 'css' });
      copyFileSync(plain, join(README_SHOTS, `${readme}.png`));
    }
    return null;
  }
  if (!existsSync(baseline)) return `${name}: no baseline (e2e/screenshots/${name}.png); run with E2E_UPDATE_SCREENSHOTS=1 to make one`;
  const expected = readFileSync(baseline);
  const result = difference(expected, actual);
  if (result.pixels > 0) console.log(`        screenshot ${name}: ${result.why ?? `${result.pixels} pixels differ`}`);
  if (result.ratio <= MAX_DIFF_RATIO) return null;
  copyFileSync(baseline, join(OUT, `${name}-expected.png`));
  if (result.diff) writeFileSync(join(OUT, `${name}-diff.png`), result.diff);
  return `${name}: ${result.why ?? `${result.pixels} pixels (${(result.ratio * 100).toFixed(2)} %) differ from the baseline`}; see ${join(OUT, `${name}-diff.png`)}`;
}
