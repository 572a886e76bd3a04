// Benchmark: NMEA → PLI latency: from handing the epoch's last sentence to the decoder to
// the PLI CotEvent built by the reporter (the policy set to report every fix). Target: < 1 ms.
import { createNmeaPipeline } from '../../hal/drivers/nmea-gnss/pipeline.js';
import { epochSentences } from '../../hal/drivers/sim/nmea-writer.js';
import { SimTrack, SIM_SPEEDS } from '../../hal/drivers/sim/track.js';
import { CotClock } from '../../daemon/pli/time.js';
import { PliReporter } from '../../daemon/pli/reporter.js';
import { encodeXml } from '../../daemon/codec/xml/encode.js';
import { median } from './support/measure.js';

const EPOCHS = 2000;
const RUNS = 5;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

/** One run: per-epoch latency in µs, from pushing the epoch's last sentence (RMC) to the encoded PLI. */
function run(): number[] {
  const start = Date.UTC(2026, 0, 1);
  const track = new SimTrack({ lat: 48.85, lon: 2.35, speed: SIM_SPEEDS.drive, fixLossEverySeconds: 0 });
  const pipeline = createNmeaPipeline();
  const sent = { at: 0n };
  const reporter = new PliReporter({
    identity: { uid: 'takd-bench', callsign: 'BENCH', type: 'a-f-G-U-C', team: 'Cyan', role: 'Team Member', takv: { device: 'bench', os: 'bench', platform: 'takd', version: '0' } },
    outputs: [{ name: 'output.bench', reporting: { movingFastestMs: 0, movingSlowestMs: 0, stationaryIntervalMs: 0 } }],
    clock: new CotClock(),
    send: (_output, event) => {
      encodeXml(event);
      sent.at = process.hrtime.bigint();
    },
  });
  const latencies: number[] = [];
  for (let s = 0; s < EPOCHS; s++) {
    const text = epochSentences(track.at(start + s * 1000, start));
    const lastLine = text.lastIndexOf('$');
    pipeline.push(Buffer.from(text.slice(0, lastLine), 'latin1'), (fix) => reporter.onFix(fix));
    sent.at = 0n;
    const before = process.hrtime.bigint();
    pipeline.push(Buffer.from(text.slice(lastLine), 'latin1'), (fix) => reporter.onFix(fix));
    if (sent.at !== 0n && s > 10) latencies.push(Number(sent.at - before) / 1000);
  }
  return latencies;
}

export default async function (): Promise<string> {
  run(); // warm up
  const medians: number[] = [];
  const p99s: number[] = [];
  let reports = 0;
  for (let i = 0; i < RUNS; i++) {
    const latencies = run();
    reports = latencies.length;
    medians.push(median(latencies));
    p99s.push(percentile(latencies, 0.99));
  }
  const medianUs = median(medians);
  return [
    '## NMEA → PLI latency (hal nmea-gnss → daemon/pli)',
    '',
    `Simulated receiver driving a loop, ${EPOCHS} epochs per run, ${RUNS} runs; latency from pushing the epoch's last sentence (RMC) to the PLI event encoded as XML (${reports} reports per run). Median of the per-run medians and 99th percentiles.`,
    '',
    '| path | median µs | p99 µs | PLI/s equivalent | target | ratio to target |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    `| last sentence → PLI XML | ${medianUs.toFixed(1)} | ${median(p99s).toFixed(1)} | ${Math.round(1e6 / medianUs).toLocaleString('en-US')} | 1000 µs | ${(1000 / medianUs).toFixed(0)}× under |`,
    '',
  ].join('\n');
}
