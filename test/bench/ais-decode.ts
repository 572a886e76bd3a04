// Benchmark: AIS decode throughput (line framer + sentence checks + reassembly + message
// decoding + vessel cache, sentences/s) over the whole AIS corpus. Target: >= 100,000
// sentences/s on one core. Peer: gpsd's `gpsdecode -j` (C), when installed, on the same
// bytes repeated, as a subprocess (its startup is amortised over ~200k sentences).
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createAisPipeline } from '../../hal/drivers/ais/pipeline.js';
import { createAisToCot } from '../../hal/drivers/ais/to-cot.js';
import { aisCorpusDir } from '../support/paths.js';
import { median } from './support/measure.js';

const RUNS = 7;
const MIN_RUN_MS = 300;
const TARGET = 100_000;

/** Median sentences/s of `pass` over RUNS runs of at least MIN_RUN_MS each. */
function measure(pass: () => number): number {
  for (let i = 0; i < 20; i++) pass(); // warm up the JIT
  const rates: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    let sentences = 0;
    const started = process.hrtime.bigint();
    let elapsedNs: bigint;
    do {
      sentences += pass();
      elapsedNs = process.hrtime.bigint() - started;
    } while (elapsedNs < BigInt(MIN_RUN_MS) * 1_000_000n);
    rates.push(sentences / (Number(elapsedNs) / 1e9));
  }
  return median(rates);
}

/** gpsdecode on the corpus repeated `copies` times: median sentences/s over RUNS runs, or undefined. */
function measureGpsdecode(corpus: Buffer, sentencesPerCopy: number, copies: number): number | undefined {
  const input = Buffer.concat(Array.from({ length: copies }, () => corpus));
  const rates: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const started = process.hrtime.bigint();
    const result = spawnSync('gpsdecode', ['-j'], { input, stdio: ['pipe', 'ignore', 'ignore'], maxBuffer: 1 << 30 });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (result.error !== undefined || result.status !== 0) return undefined;
    rates.push((sentencesPerCopy * copies) / seconds);
  }
  return median(rates);
}

export default async function (): Promise<string> {
  const files = readdirSync(aisCorpusDir).filter((f) => f.endsWith('.log') || f === 'sample.aivdm').sort();
  // Only the AIS lines: the GPS sentences of mixed logs and the comments are not the workload.
  const lines = files.flatMap((f) => readFileSync(join(aisCorpusDir, f), 'latin1').split('\n').filter((l) => l.startsWith('!')));
  const corpus = Buffer.from(`${lines.map((l) => l.trimEnd()).join('\r\n')}\r\n`, 'latin1');
  const toCot = createAisToCot();
  const context = { sourceId: 'bench', now: Date.UTC(2026, 0, 1) };

  let sentencesPerPass = 0;
  let messagesPerPass = 0;
  const decodeOnly = measure(() => {
    const pipeline = createAisPipeline();
    messagesPerPass = 0;
    pipeline.push(corpus, () => messagesPerPass++);
    sentencesPerPass = pipeline.decoder.counters.sentences;
    return sentencesPerPass;
  });
  let events = 0;
  const withCot = measure(() => {
    const pipeline = createAisPipeline();
    pipeline.push(corpus, (m) => {
      if (toCot(m, context) !== undefined) events++;
    });
    return pipeline.decoder.counters.sentences;
  });
  const peer = measureGpsdecode(corpus, sentencesPerPass, 100);
  const row = (name: string, rate: number): string => `| ${name} | ${Math.round(rate).toLocaleString('en-US')} | ${(rate / TARGET).toFixed(2)}× | ${peer === undefined ? 'n/a' : `${(rate / peer).toFixed(2)}×`} |`;
  return [
    '## AIS decode (hal/drivers/ais)',
    '',
    `All AIS sentences of the corpus (${files.length} captures, ${sentencesPerPass} valid sentences → ${messagesPerPass} messages, ${corpus.length} bytes) through the line framer, sentence checks, fragment reassembly, message decoders and vessel cache; median of ${RUNS} runs of >= ${MIN_RUN_MS} ms. ${events > 0 ? 'The second row also builds a CotEvent for every positioned target.' : ''}`,
    '',
    '| implementation | sentences/s | ratio to target (100,000) | ratio to gpsdecode |',
    '| --- | ---: | ---: | ---: |',
    row('takd AIS pipeline (decode)', decodeOnly),
    row('takd AIS pipeline + toCot', withCot),
    peer === undefined
      ? '| gpsd gpsdecode -j | not installed | | |'
      : `| gpsd gpsdecode -j (C, subprocess, corpus × 100 per run) | ${Math.round(peer).toLocaleString('en-US')} | ${(peer / TARGET).toFixed(2)}× | 1.00× |`,
    '',
  ].join('\n');
}
