// The console page in headless Chromium (Debian's chromium, driven by playwright-core; no
// browser is downloaded) against a real `takd run`: the links table shows the output, then
// the output going down and coming back; the map shows one symbol per track with its
// callsign; the page works at a phone's viewport; no request leaves the box's origin.
// With [status] tiles, the map loads tiles from that server and the CSP refuses images from
// any other. Screenshots go to test-artifacts/console/ (gitignored).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { freePort } from './support/gpsfake.js';
import { CotSink, TakdProcess, waitFor } from './support/daemon-process.js';
import { repoRoot } from './support/paths.js';

// What the functions run in the page use (the tests compile without the DOM library).
declare const document: {
  querySelectorAll(selector: string): { length: number };
  querySelector(selector: string): { textContent: string | null; append(node: unknown): void } | null;
  documentElement: { scrollWidth: number };
  createElementNS(ns: string, tag: string): { setAttribute(name: string, value: string): void };
  addEventListener(type: string, listener: (event: { blockedURI: string }) => void): void;
};
declare const window: { violations?: string[] };

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(repoRoot, 'test-artifacts', 'console');
const takd = new TakdProcess();
let sink = new CotSink();
let browser: Browser | undefined;

after(async () => {
  await browser?.close();
  await takd.cleanup();
  await sink.kill().catch(() => undefined);
});

const MARKERS = [
  { uid: 'page-1', callsign: 'ALPHA', sidc: 'SFGPUCI----', lat: 52.52, lon: 13.40 },
  { uid: 'page-2', callsign: 'BRAVO', sidc: 'SHGPUCA----', lat: 52.53, lon: 13.43 },
  { uid: 'page-3', callsign: 'CHARLIE', sidc: 'SNSPXM-----', lat: 52.50, lon: 13.38 },
  { uid: 'page-4', callsign: 'DELTA', type: 'b-m-p-s-m', lat: 52.51, lon: 13.45 },
];

async function linkState(page: Page, id: string): Promise<string> {
  return page.locator(`#links tr[data-link="${id}"] td:nth-child(2) div:first-child`).innerText();
}

describe('console page in Chromium', { skip: existsSync(CHROMIUM) ? false : `no ${CHROMIUM} (apt-get install chromium)` }, () => {
  it('shows the links and the tracks, follows an output down and up, and fits a phone', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const sinkPort = await sink.listen();
    const httpPort = await freePort();
    const base = `http://127.0.0.1:${httpPort}`;
    takd.writeConfig(`[takd]\ncallsign = BOX-1\n[pli]\nenabled = no\n[status]\nhttp = 127.0.0.1:${httpPort}\n[output.server]\nurl = tcp://127.0.0.1:${sinkPort}\nhello = no\n`);
    takd.start();
    await takd.waitForState('output.server', 'connected');
    for (const { lat, lon, callsign, uid, ...symbol } of MARKERS) {
      const response = await fetch(`${base}/api/markers`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ lat, lon, callsign, uid, ...symbol }) });
      assert.equal(response.status, 202);
    }

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const foreign: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(base) && !request.url().startsWith('data:')) foreign.push(request.url());
    });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(`${base}/`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
    await page.waitForFunction(() => document.querySelectorAll('#map g.track').length === 4, undefined, { timeout: 15_000 });

    assert.equal(await linkState(page, 'output.server'), 'up');
    const labels = await page.locator('#map g.track text.label').allTextContents();
    assert.deepEqual([...labels].sort(), ['ALPHA', 'BRAVO', 'CHARLIE', 'DELTA']);
    // 2525 symbols for the atoms, a dot for the spot marker.
    assert.equal(await page.locator('#map g.track image.symbol').count(), 3);
    assert.equal(await page.locator('#map g.track circle.symbol').count(), 1);
    assert.ok((await page.locator('#map path.land').getAttribute('d'))!.length > 1000, 'the basemap is drawn');
    await page.screenshot({ path: join(ARTIFACTS, 'desktop.png') });

    // The output's server goes away, then comes back on the same port: the table follows (SSE).
    await sink.kill();
    await page.waitForFunction(() => /down/.test(document.querySelector('#links tr[data-link="output.server"] td:nth-child(2)')?.textContent ?? ''), undefined, { timeout: 15_000 });
    assert.match(await page.locator('#links tr[data-link="output.server"] td.err').innerText(), /\S/);
    await page.screenshot({ path: join(ARTIFACTS, 'output-down.png') });
    sink = new CotSink();
    await sink.listen(sinkPort);
    await page.waitForFunction(() => document.querySelector('#links tr[data-link="output.server"] td:nth-child(2) div')?.textContent === 'up', undefined, { timeout: 30_000 });
    // The README's picture (docs/console.png is a copy of it): a laptop-sized window.
    await page.setViewportSize({ width: 1024, height: 560 });
    await page.screenshot({ path: join(ARTIFACTS, 'readme.png') });

    // A phone: the page fits its width, the map and the table are there.
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const small = await phone.newPage();
    await small.goto(`${base}/`);
    await small.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
    await small.waitForFunction(() => document.querySelectorAll('#map g.track').length === 4, undefined, { timeout: 15_000 });
    const width = await small.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `no sideways scrolling on a phone (scrollWidth ${width})`);
    await small.screenshot({ path: join(ARTIFACTS, 'phone.png'), fullPage: true });

    assert.deepEqual(foreign, [], 'no request leaves the origin');
    assert.deepEqual(errors, [], 'no script error or CSP violation');
    assert.equal(await takd.stop(), 0);
  });

  it('draws tiles from [status] tiles over the basemap, and the CSP refuses images from elsewhere', async () => {
    const tileRequests: string[] = [];
    const otherRequests: string[] = [];
    const serve = (log: string[]): Promise<{ server: Server; origin: string }> =>
      new Promise((resolve) => {
        const server = createServer((request, response) => {
          log.push(request.url ?? '');
          response.writeHead(200, { 'content-type': 'image/svg+xml' }).end('<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256"><rect width="256" height="256" fill="#9ecae1"/></svg>');
        });
        server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
      });
    const tiles = await serve(tileRequests);
    const other = await serve(otherRequests);
    const tiled = new TakdProcess();
    try {
      const httpPort = await freePort();
      const base = `http://127.0.0.1:${httpPort}`;
      tiled.writeConfig(`[takd]\ncallsign = BOX-2\n[pli]\nenabled = no\n[status]\nhttp = 127.0.0.1:${httpPort}\ntiles = ${tiles.origin}/{z}/{x}/{y}.svg\ntiles_attribution = test tiles\n[output.file]\nurl = file://${join(tiled.dir, 'out.cot')}\n`);
      tiled.start();
      await waitFor('ready', () => (tiled.status()?.ready === true ? true : undefined));
      const csp = (await fetch(`${base}/`)).headers.get('content-security-policy') ?? '';
      assert.match(csp, new RegExp(`img-src 'self' data: blob: ${tiles.origin.replace(/[.]/g, '\\.')};`));
      browser ??= await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
      const page = await (await browser.newContext({ viewport: { width: 800, height: 600 } })).newPage();
      await page.goto(`${base}/`);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
      await page.waitForFunction(() => document.querySelectorAll('#map image.tile').length > 0, undefined, { timeout: 15_000 });
      await waitFor('tiles requested from the tile server', () => (tileRequests.some((url) => /^\/\d+\/\d+\/\d+\.svg$/.test(url)) ? true : undefined), 15_000);
      assert.match((await page.locator('#attribution').innerText()), /Tiles: test tiles/);
      await page.screenshot({ path: join(ARTIFACTS, 'tiles.png') });
      // An image from another origin: refused by the CSP, never requested.
      await page.evaluate((url) => {
        window.violations = [];
        document.addEventListener('securitypolicyviolation', (event) => window.violations?.push(event.blockedURI));
        const image = document.createElementNS('http://www.w3.org/2000/svg', 'image');
        image.setAttribute('href', url);
        document.querySelector('#map')?.append(image);
      }, `${other.origin}/0/0/0.svg`);
      await page.waitForFunction(() => (window.violations?.length ?? 0) > 0, undefined, { timeout: 15_000 });
      assert.deepEqual(otherRequests, [], 'nothing was fetched from the other origin');
      assert.equal(await tiled.stop(), 0);
    } finally {
      await tiled.cleanup();
      tiles.server.close();
      other.server.close();
    }
  });
});
