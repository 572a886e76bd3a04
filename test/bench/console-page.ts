// Scenario: the console page in headless Chromium (Debian's chromium via playwright-core)
// against a real `takd run` on loopback holding a few tracks: what the page transfers
// (compressed, as Chromium received it: the page's files with the basemap and 2525 symbols
// inside app.js; the API answers counted apart) and its first render. First render is
// navigation start to the first map symbols drawn: the page marks `takd-first-symbols`
// (performance.mark, which counts from navigation start) in the animation frame after the
// one that drew the first tracks, i.e. once that frame was painted. Each load is a fresh
// browser context (empty cache).
// Budgets (issue 20): ≤ 300 KB transferred; first render ≤ 1 s.
// Sizes: TAKD_BENCH_PAGE_LOADS (default 11); a smoke run: TAKD_BENCH_PAGE_LOADS=2.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { freePort } from '../support/gpsfake.js';
import { TakdProcess, waitFor } from '../support/daemon-process.js';
import { machine, median, table } from './support/measure.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const LOADS = Number(process.env.TAKD_BENCH_PAGE_LOADS ?? 11);
const BUDGET = { bytes: 300_000, firstRenderMs: 1000 };
const TRACKS = 20;

declare const performance: { getEntriesByName(name: string): { startTime: number }[] };

export default async function (): Promise<string> {
  if (!existsSync(CHROMIUM)) throw new Error(`no ${CHROMIUM} (apt-get install chromium)`);
  const takd = new TakdProcess();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  try {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    takd.writeConfig(`[takd]\ncallsign = BENCH-1\n[pli]\nenabled = no\n[status]\nhttp = 127.0.0.1:${port}\napi_rate = 100000\n[output.file]\nurl = file://${takd.dir}/out.cot\n`);
    takd.start();
    await waitFor('ready', () => (takd.status()?.ready === true ? true : undefined), 30_000);
    for (let i = 0; i < TRACKS; i++) {
      const body = { uid: `bench-${i}`, callsign: `T-${i}`, sidc: ['SFGPUCI----', 'SHGPUCA----', 'SNSPXM-----'][i % 3], lat: 52.5 + (i % 5) * 0.01, lon: 13.4 + Math.floor(i / 5) * 0.01 };
      const response = await fetch(`${base}/api/markers`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (response.status !== 202) throw new Error(`marker: ${response.status}`);
    }
    const pageBytes: Record<string, number> = {};
    let apiBytes = 0;
    const firstRender: number[] = [];
    for (let load = 0; load < LOADS; load++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      const responses: Promise<void>[] = [];
      page.on('requestfinished', (request) => {
        responses.push(
          request.sizes().then((sizes) => {
            const path = new URL(request.url()).pathname;
            const bytes = sizes.responseBodySize + sizes.responseHeadersSize;
            if (path.startsWith('/api/')) {
              if (load === 0) apiBytes += bytes;
            } else pageBytes[path] = bytes;
          }),
        );
      });
      await page.goto(`${base}/`);
      const mark = await page.waitForFunction(() => performance.getEntriesByName('takd-first-symbols')[0]?.startTime, undefined, { timeout: 30_000 });
      firstRender.push(Number(await mark.jsonValue()));
      await Promise.all(responses);
      await context.close();
    }
    const total = Object.values(pageBytes).reduce((a, b) => a + b, 0);
    const rows = Object.entries(pageBytes).map(([path, bytes]) => [path, bytes.toLocaleString('en')]);
    return [
      '## Console page: transferred bytes and first render (headless Chromium)',
      '',
      `${machine()}. Chromium ${browser.version()} (Debian's, headless), a fresh context (empty cache) per load, against \`takd run\` (node + tsc output) on loopback with ${TRACKS} tracks (2525 symbols). Bytes are as received (body compressed as served, plus headers). First render: navigation start to the first map symbols drawn (the page's \`takd-first-symbols\` mark, set in the frame after the one that drew them); median of ${LOADS} loads.`,
      '',
      table(['what', 'bytes'], [...rows, ['**page total** (budget ≤ 300 KB)', `**${total.toLocaleString('en')}** (${total <= BUDGET.bytes ? 'met' : 'not met'})`], [`API answers of the first load (links, tracks, map; not in the total)`, apiBytes.toLocaleString('en')]]),
      '',
      table(
        ['first render', 'ms', 'budget'],
        [
          ['median', median(firstRender).toFixed(0), `≤ ${BUDGET.firstRenderMs} ms (${median(firstRender) <= BUDGET.firstRenderMs ? 'met' : 'not met'})`],
          ['slowest', Math.max(...firstRender).toFixed(0), ''],
        ],
      ),
      '',
    ].join('\n');
  } finally {
    await browser.close();
    await takd.cleanup();
  }
}
