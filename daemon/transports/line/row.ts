// log://stdout, log://stderr, file://PATH: a record of every event sent, one line of XML
// each (../line-output.ts). They only write: `takd listen` refuses them.
import type { TransportKind, TransportModule } from '../contract.js';
import { fail } from '../url-parts.js';

export interface LogSpec {
  kind: 'log';
  stream: 'stdout' | 'stderr';
}

export interface FileSpec {
  kind: 'file';
  path: string;
}

async function loadLineOutput(): Promise<TransportModule<LogSpec | FileSpec>> {
  const { LineOutput } = await import('../line-output.js');
  return { create: (spec, options) => new LineOutput(spec, options) };
}

export const logKind: TransportKind<LogSpec> = {
  scheme: 'log',
  listens: false,
  modifiers: [],
  kinds: ['log'],
  role: 'sink',
  receives: false,
  usage: 'log://stdout, log://stderr',
  summary: 'every event as a line of XML',
  example: 'log://stdout',
  parse: ({ url, modifiers, rest }) => {
    if (modifiers.length > 0) fail(url, 'log:// takes no modifiers');
    if (rest !== 'stdout' && rest !== 'stderr') fail(url, 'log:// must be log://stdout or log://stderr');
    return { kind: 'log', stream: rest };
  },
  keys: [],
  load: loadLineOutput,
};

export const fileKind: TransportKind<FileSpec> = {
  scheme: 'file',
  listens: false,
  modifiers: [],
  kinds: ['file'],
  role: 'sink',
  receives: false,
  usage: 'file://PATH',
  summary: 'every event as a line of XML, appended',
  example: 'file:///var/log/takd/events.log',
  parse: ({ url, modifiers, rest }) => {
    if (modifiers.length > 0) fail(url, 'file:// takes no modifiers');
    if (rest === '') fail(url, 'missing path');
    let path: string;
    try {
      path = decodeURIComponent(rest);
    } catch {
      fail(url, 'bad %-escape in the path');
    }
    return { kind: 'file', path };
  },
  keys: [],
  load: loadLineOutput,
};
