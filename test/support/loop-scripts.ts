// Scripts for the processes of the loop tests, run inside network namespaces with
// `node --input-type=module -e`: a TAK-Server-like relay and the event injector it and the
// phones share. They print one JSON object per line ({ready}, {received}, {sent}, {stopped}).
import type { ChildProcess } from 'node:child_process';
import type { NetNs } from './netns.js';

/** A module of the compiled daemon, as a quoted file URL for an import in a script. */
export const daemonModule = (path: string): string => JSON.stringify(new URL(`../../daemon/${path}`, import.meta.url).href);

/**
 * Sends a PLI `<prefix>-n` every 40 ms to each of `peers` (a JS expression in the script)
 * between "go" and "stop" on stdin, and on "stop" says how many it sent ({stopped: n});
 * `prefix` is a JS expression too.
 */
export const eventSender = (prefix: string, peers: string): string => `
  let n = 0;
  let timer;
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (text) => {
    if (text.includes('go')) timer = setInterval(() => {
      const now = Date.now();
      const event = { uid: ${prefix} + '-' + n++, type: 'a-f-G-U-C', how: 'm-g', time: now, start: now, stale: now + 60000, point: { lat: 1, lon: 2, hae: 0, ce: 5, le: 9999999 }, contact: { callsign: ${prefix} } };
      for (const peer of ${peers}) peer.write(encodeXml(event, { declaration: true }));
      out({ sent: event.uid });
    }, 40);
    if (text.includes('stop')) {
      clearInterval(timer);
      out({ stopped: n });
    }
  });
`;

/** The relay: every event from one connection goes to all the others (as TAK Server does); it also injects its own, SRV-n. */
export const relayServer = (host: string, port: number): string => `
  import { createServer } from 'node:net';
  import { CotStreamDecoder } from ${daemonModule('codec/stream.js')};
  import { encodeXml } from ${daemonModule('codec/xml/encode.js')};
  const out = (obj) => process.stdout.write(JSON.stringify(obj) + '\\n');
  const sockets = new Set();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    const decoder = new CotStreamDecoder({
      onEvent: (event) => {
        out({ received: event.uid });
        for (const other of sockets) if (other !== socket) other.write(encodeXml(event, { declaration: true }));
      },
      onError: () => undefined,
    });
    socket.on('data', (chunk) => decoder.push(chunk));
  });
  server.listen(${port}, '${host}', () => out({ ready: true }));
  ${eventSender("'SRV'", 'sockets')}
`;

/** A loop-test script running in a namespace: its JSON lines, and a way to tell it a word. */
export interface ScriptProcess {
  process: ChildProcess;
  lines: Record<string, unknown>[];
  tell(word: string): void;
  values(key: string): string[];
  /** How many events it sent, once it has stopped sending ({stopped: n}). */
  stopped(): number | undefined;
}

/** The JSON objects a child process writes to stdout, one per line, collected as they arrive. */
export function jsonLinesOf(child: ChildProcess): Record<string, unknown>[] {
  const lines: Record<string, unknown>[] = [];
  let buffered = '';
  child.stdout?.on('data', (d: Buffer) => {
    buffered += d.toString();
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      lines.push(JSON.parse(buffered.slice(0, newline)) as Record<string, unknown>);
      buffered = buffered.slice(newline + 1);
    }
  });
  return lines;
}

/** Runs `script` with node inside `where`; `children` collects it for cleanup. */
export function startScript(where: NetNs, script: string, children: ChildProcess[], env: Record<string, string> = {}): ScriptProcess {
  const child = where.spawn(process.execPath, ['--input-type=module', '-e', script], { ...process.env, ...env });
  children.push(child);
  child.stderr?.pipe(process.stderr);
  const lines = jsonLinesOf(child);
  return {
    process: child,
    lines,
    tell: (word) => child.stdin?.write(`${word}\n`),
    values: (key) => lines.filter((l) => typeof l[key] === 'string').map((l) => l[key] as string),
    stopped: () => lines.find((l) => typeof l.stopped === 'number')?.stopped as number | undefined,
  };
}
