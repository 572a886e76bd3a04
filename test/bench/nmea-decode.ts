// Benchmark: NMEA 0183 decode throughput (line framer + decoder, sentences/s) over the whole
// GNSS corpus. Target: >= 200,000 sentences/s on one core.
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createNmeaPipeline } from '../../hal/drivers/nmea-gnss/pipeline.js';
import { toTpv } from '../../hal/drivers/nmea-gnss/tpv.js';
import { captureNames } from '../support/gnss-golden.js';
import { gnssCorpusDir } from '../support/paths.js';
import { median } from './support/measure.js';

const RUNS = 7;
const MIN_RUN_MS = 300;

/** Peer: gpsd's own decoder as a command (Debian gpsd-clients), fed the corpus on stdin. */
function gpsdecodeRate(corpus: Buffer, sentences: number): number | undefined {
  const copies = 20;
  const input = Buffer.concat(Array.from({ length: copies }, () => corpus));
  const rates: number[] = [];
  for (let run = 0; run < 5; run++) {
    const started = process.hrtime.bigint();
    const result = spawnSync('gpsdecode', [], { input, maxBuffer: 512 * 1024 * 1024, stdio: ['pipe', 'pipe', 'ignore'] });
    if (result.error !== undefined || result.status !== 0) return undefined;
    rates.push((copies * sentences) / (Number(process.hrtime.bigint() - started) / 1e9));
  }
  return median(rates);
}

export default async function (): Promise<string> {
  const captures = captureNames().map((name) => readFileSync(join(gnssCorpusDir, `${name}.log`)));
  const bytes = captures.reduce((sum, c) => sum + c.length, 0);
  let sentencesPerPass = 0;
  let fixesPerPass = 0;
  let json = false;
  let jsonBytes = 0;
  const onFix = (fix: Parameters<typeof toTpv>[0]): void => {
    fixesPerPass++;
    if (json) jsonBytes += JSON.stringify(toTpv(fix)).length;
  };
  const pass = (): void => {
    sentencesPerPass = 0;
    fixesPerPass = 0;
    for (const capture of captures) {
      const pipeline = createNmeaPipeline({ commentChar: '#' });
      pipeline.push(capture, onFix);
      pipeline.flush(onFix);
      sentencesPerPass += pipeline.framer.counters.frames;
    }
  };
  // Rates per CPU second of this process ("on one core", and steady on a busy machine) and per wall second.
  const measure = (): { rate: number; byteRate: number; wallRate: number } => {
    const rates: number[] = [];
    const byteRates: number[] = [];
    const wallRates: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      let passes = 0;
      const started = process.hrtime.bigint();
      const cpuStarted = process.cpuUsage();
      let elapsedNs: bigint;
      do {
        pass();
        passes++;
        elapsedNs = process.hrtime.bigint() - started;
      } while (elapsedNs < BigInt(MIN_RUN_MS) * 1_000_000n);
      const cpu = process.cpuUsage(cpuStarted);
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      rates.push((passes * sentencesPerPass) / cpuSeconds);
      byteRates.push((passes * bytes) / cpuSeconds);
      wallRates.push((passes * sentencesPerPass) / (Number(elapsedNs) / 1e9));
    }
    return { rate: median(rates), byteRate: median(byteRates), wallRate: median(wallRates) };
  };
  for (let i = 0; i < 20; i++) pass(); // warm up the JIT
  const plain = measure();
  json = true;
  const withJson = measure();
  const rate = plain.rate;
  const corpusWithoutComments = Buffer.from(
    captures.map((c) => c.toString('latin1').split('\n').filter((l) => !l.startsWith('#')).join('\n')).join('\n'),
    'latin1',
  );
  const peer = gpsdecodeRate(corpusWithoutComments, sentencesPerPass);
  const peerRow = peer === undefined
    ? '| gpsd gpsdecode (C) | | | not installed | | |'
    : `| gpsd gpsdecode (C, one process per run, JSON per sentence to a pipe) | | | ${Math.round(peer).toLocaleString('en-US')} | | takd+JSON is ${(withJson.wallRate / peer).toFixed(1)}× (wall) |`;
  void jsonBytes;
  return [
    '## NMEA 0183 decode (hal/drivers/nmea-gnss)',
    '',
    `Whole GNSS corpus (${captures.length} captures, ${sentencesPerPass} valid sentences, ${fixesPerPass} fixes, ${bytes} bytes) through the line framer and the decoder; median of ${RUNS} runs of >= ${MIN_RUN_MS} ms.`,
    '',
    '| implementation | sentences per CPU second | MB per CPU second | sentences per wall second | target | ratio |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    `| takd LineFramer + NmeaGnssDecoder | ${Math.round(rate).toLocaleString('en-US')} | ${(plain.byteRate / 1e6).toFixed(1)} | ${Math.round(plain.wallRate).toLocaleString('en-US')} | 200,000 | ${(rate / 200_000).toFixed(2)}× target |`,
    `| takd, plus a TPV JSON line per fix | ${Math.round(withJson.rate).toLocaleString('en-US')} | ${(withJson.byteRate / 1e6).toFixed(1)} | ${Math.round(withJson.wallRate).toLocaleString('en-US')} | 200,000 | ${(withJson.rate / 200_000).toFixed(2)}× target |`,
    peerRow,
    '',
    'gpsdecode runs gpsd\'s decoder on stdin and writes a JSON report per sentence; its wall time includes process start and the pipe, on 20 copies of the corpus (median of 5). Wall-second figures depend on what else the machine runs; CPU-second figures much less.',
    '',
  ].join('\n');
}
