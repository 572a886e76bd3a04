// Benchmark: APRS over KISS decode throughput (KISS framer + AX.25 + APRS parser,
// packets/s) on the spec's example packets (uncompressed, compressed, Mic-E, objects,
// items) repeated. No in-process peer: aprslib (Python) and Dire Wolf (C) are not JS.
import { kissEncode } from '../../hal/framers/kiss.js';
import { encodeAx25 } from '../../hal/drivers/kiss-aprs/ax25.js';
import { SPEC_PACKETS } from '../../hal/drivers/kiss-aprs/fixtures.js';
import { createAprsPipeline } from '../../hal/drivers/kiss-aprs/pipeline.js';
import { createAprsToCot } from '../../hal/drivers/kiss-aprs/to-cot.js';
import { median } from './support/measure.js';

const RUNS = 7;
const MIN_RUN_MS = 300;
const COPIES = 200;

function measure(pass: () => number): number {
  for (let i = 0; i < 10; i++) pass();
  const rates: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    let items = 0;
    const started = process.hrtime.bigint();
    let elapsedNs: bigint;
    do {
      items += pass();
      elapsedNs = process.hrtime.bigint() - started;
    } while (elapsedNs < BigInt(MIN_RUN_MS) * 1_000_000n);
    rates.push(items / (Number(elapsedNs) / 1e9));
  }
  return median(rates);
}

export default async function (): Promise<string> {
  const one = SPEC_PACKETS.map(([to, from, info]) => kissEncode(encodeAx25(to, from, ['WIDE1-1', 'WIDE2-1'], Buffer.from(info, 'latin1'))));
  const stream = Buffer.concat(Array.from({ length: COPIES }, () => one).flat());
  const lines = Array.from({ length: COPIES }, () => SPEC_PACKETS.map(([to, from, info]) => `${from}>${to},WIDE1-1,WIDE2-1:${info}`)).flat();
  const toCot = createAprsToCot();
  const context = { sourceId: 'bench', now: 0 };
  const kiss = measure(() => {
    let packets = 0;
    createAprsPipeline().push(stream, () => packets++);
    return packets;
  });
  const kissCot = measure(() => {
    let packets = 0;
    createAprsPipeline().push(stream, (p) => {
      if (toCot(p, context)) packets++;
    });
    return packets;
  });
  const text = measure(() => {
    let packets = 0;
    const pipeline = createAprsPipeline();
    for (const line of lines) pipeline.pushText(line, () => packets++);
    return packets;
  });
  const row = (name: string, rate: number): string => `| ${name} | ${Math.round(rate).toLocaleString('en-US')} |`;
  return [
    '## APRS over KISS decode (hal/drivers/kiss-aprs)',
    '',
    `The ${SPEC_PACKETS.length} example packets of spec §2.11 × ${COPIES} (${stream.length} KISS bytes); median of ${RUNS} runs of >= ${MIN_RUN_MS} ms.`,
    '',
    '| path | packets/s |',
    '| --- | ---: |',
    row('KISS bytes → AX.25 → APRS packet', kiss),
    row('KISS bytes → APRS packet → CotEvent', kissCot),
    row('TNC2 text line → APRS packet', text),
    '',
    'No in-process peer: aprslib (Python) and Dire Wolf (C) have no JS equivalent to race.',
    '',
  ].join('\n');
}
