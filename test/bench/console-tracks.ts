// Scenario: GET /api/tracks with 10,000 live tracks, through the real status HTTP server
// (daemon/lifecycle/http.ts with the console) on loopback, in this process: wall time from
// the request to the last byte of the answer. Three cases: the first request (every track's
// Feature serialized), a request with nothing changed (each track's JSON is kept), and one
// after a tenth of the tracks moved (only they are serialized again).
// Budget (issue 20): ≤ 50 ms with 10,000 tracks.
// Sizes: TAKD_BENCH_TRACKS (default 10,000), TAKD_BENCH_TRACKS_ROUNDS (default 21);
// a smoke run: TAKD_BENCH_TRACKS=500 TAKD_BENCH_TRACKS_ROUNDS=3.
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CotEvent } from '../../daemon/codec/event.js';
import { startStatusHttp } from '../../daemon/lifecycle/http.js';
import type { StatusSnapshot } from '../../daemon/lifecycle/status.js';
import { pli } from '../support/transport-fixtures.js';
import { machine, median, table } from './support/measure.js';

const TRACKS = Number(process.env.TAKD_BENCH_TRACKS ?? 10_000);
const ROUNDS = Number(process.env.TAKD_BENCH_TRACKS_ROUNDS ?? 21);
const BUDGET_MS = 50;

const SNAPSHOT = {
  version: 'bench',
  pid: process.pid,
  startedAt: new Date().toISOString(),
  uptimeSeconds: 0,
  ready: true,
  configFile: null,
  gps: { fix: 'none' },
  components: [],
  counters: { eventsIn: 0, eventsOut: 0, dropped: {} },
  router: { outputs: [] },
} as unknown as StatusSnapshot;

/** One GET to the end of its body: [ms, bytes]. */
function timedGet(port: number, path: string): Promise<[number, number]> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (response) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => (bytes += chunk.length));
      response.on('end', () => {
        if (response.statusCode !== 200) reject(new Error(`${path}: ${response.statusCode}`));
        else resolve([Number(process.hrtime.bigint() - started) / 1e6, bytes]);
      });
    });
    req.on('error', reject);
    req.end();
  });
}

export default async function (): Promise<string> {
  let observer: ((event: CotEvent, from: string) => void) | undefined;
  const http = await startStatusHttp({
    settings: { http: '127.0.0.1:0', apiRatePerMinute: 100_000 } as Parameters<typeof startStatusHttp>[0]['settings'],
    snapshot: () => SNAPSHOT,
    console: { publish: () => undefined, observe: (listener) => (observer = listener), identity: () => ({ uid: 'bench', callsign: 'BENCH' }) },
  });
  try {
    const port = (http.server.address() as AddressInfo).port;
    const now = Date.now();
    const feed = (n: number, shift: number): void => {
      const event = pli(n, now + shift);
      observer?.(
        { ...event, stale: now + 3_600_000, point: { ...event.point, lat: 10 + (n % 100) * 0.5 + shift * 1e-5, lon: -60 + Math.floor(n / 100) * 0.5 } },
        'input.phones',
      );
    };
    for (let n = 0; n < TRACKS; n++) feed(n, 0);
    const [firstMs, bytes] = await timedGet(port, '/api/tracks');
    const unchanged: number[] = [];
    const tenthMoved: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      unchanged.push((await timedGet(port, '/api/tracks'))[0]);
      for (let n = 0; n < TRACKS; n += 10) feed(n, round);
      tenthMoved.push((await timedGet(port, '/api/tracks'))[0]);
    }
    const worst = Math.max(median(unchanged), median(tenthMoved));
    return [
      '## Console: GET /api/tracks',
      '',
      `${machine()}. ${TRACKS.toLocaleString('en')} live tracks (ATAK-style PLI, each with a trail after it moved) in the console's table; the request goes over loopback to the status HTTP server in the same process and the time is to the answer's last byte. Medians of ${ROUNDS} requests per case.`,
      '',
      table(
        ['case', 'ms', 'budget'],
        [
          ['first request (every Feature serialized)', firstMs.toFixed(1), ''],
          ['nothing changed since the last request', median(unchanged).toFixed(1), `≤ ${BUDGET_MS} ms (${median(unchanged) <= BUDGET_MS ? 'met' : 'not met'})`],
          ['a tenth of the tracks moved since', median(tenthMoved).toFixed(1), `≤ ${BUDGET_MS} ms (${median(tenthMoved) <= BUDGET_MS ? 'met' : 'not met'})`],
        ],
      ),
      '',
      `Answer: ${(bytes / 1e6).toFixed(2)} MB of GeoJSON (uncompressed). Each track keeps its Feature's JSON text from the first request after it changed, so a request joins the kept texts and serializes only what moved. Worst median: ${worst.toFixed(1)} ms.`,
      '',
    ].join('\n');
  } finally {
    await http.close();
  }
}
