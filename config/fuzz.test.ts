// Any text as a configuration file: parsing and merging either succeed or throw one
// ConfigError listing problems — never anything else. Random and mutated inputs, bounded.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from './errors.js';
import { parseIni } from './ini.js';
import { fromIni } from './layers.js';
import { mergeLayers } from './loader.js';

const SEED = `[takd]\ncallsign = A-1 ; c\n[source.gps]\ndriver = nmea-gnss\nlink = serial:///dev/ttyUSB0?baud=9600\n[output.mesh]\nurl = udp://239.2.3.1:6969\nttl = 1\ninterface = eth0\n[pytak]\nCOT_URL = tls://h:8089\nPYTAK_TLS_DONT_VERIFY = yes\n[log]\nlevel = debug\n`;
const ALPHABET = '[]=:;#\n \t.abcxyz019_-/\\"\'\u00e9\u0000\uFEFF';

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => ((state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function mutate(text: string, rand: () => number): string {
  const chars = [...text];
  const edits = 1 + Math.floor(rand() * 8);
  for (let i = 0; i < edits; i += 1) {
    const at = Math.floor(rand() * (chars.length + 1));
    const c = ALPHABET[Math.floor(rand() * ALPHABET.length)] as string;
    const op = rand();
    if (op < 0.4) chars.splice(at, 1);
    else if (op < 0.8) chars.splice(at, 0, c);
    else chars.splice(at, 0, ...chars.slice(Math.max(0, at - 20), at));
  }
  return chars.join('');
}

function tryLoad(text: string): void {
  try {
    mergeLayers([fromIni(parseIni(text, 'fuzz.ini'))], 'fuzz.ini');
  } catch (error) {
    assert.ok(error instanceof ConfigError, `unexpected ${String(error)}`);
    assert.ok(error.problems.length > 0);
  }
}

describe('config fuzz', () => {
  it('mutated and random configs never throw anything but ConfigError', () => {
    const rand = random(42);
    const deadline = Date.now() + 5_000;
    for (let i = 0; i < 3000 && Date.now() < deadline; i += 1) {
      tryLoad(mutate(SEED, rand));
      const length = Math.floor(rand() * 200);
      tryLoad(Array.from({ length }, () => ALPHABET[Math.floor(rand() * ALPHABET.length)]).join(''));
    }
  });
});
