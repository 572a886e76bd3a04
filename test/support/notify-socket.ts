// A fake systemd NOTIFY_SOCKET: a unix datagram socket (Node has none, so a few lines of
// Python) that reports every datagram with the sender's PID from SCM_CREDENTIALS, as
// systemd checks it for NotifyAccess=main.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { waitFor } from './daemon-process.js';

const RECEIVER = `
import json, socket, struct, sys
path = sys.argv[1]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind('\\0' + path[1:] if path.startswith('@') else path)
s.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
print(json.dumps({"listening": True}), flush=True)
while True:
    data, ancillary, _, _ = s.recvmsg(4096, socket.CMSG_SPACE(12))
    pid = None
    for level, kind, payload in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
            pid = struct.unpack('iII', payload[:12])[0]
    print(json.dumps({"pid": pid, "message": data.decode()}), flush=True)
`;

export interface Notification {
  pid: number;
  message: string;
}

export function pythonAvailable(): boolean {
  return spawnSync('python3', ['-c', 'import socket; socket.SO_PASSCRED'], { stdio: 'ignore' }).status === 0;
}

export class FakeNotifySocket {
  readonly received: Notification[] = [];
  private readonly child: ChildProcess;
  private listening = false;

  /** `path`: a filesystem path, or `@name` for an abstract socket. */
  constructor(readonly path: string) {
    this.child = spawn('python3', ['-c', RECEIVER, path], { stdio: ['ignore', 'pipe', 'inherit'] });
    let buffered = '';
    this.child.stdout?.setEncoding('utf8').on('data', (text: string) => {
      buffered += text;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const record = JSON.parse(line) as Notification & { listening?: boolean };
        if (record.listening) this.listening = true;
        else this.received.push(record);
      }
    });
  }

  ready(): Promise<boolean> {
    return waitFor('the fake notify socket', () => (this.listening ? true : undefined));
  }

  /** Waits for a message matching `pattern` (after skipping `from` messages). */
  waitFor(pattern: RegExp, from = 0): Promise<Notification> {
    return waitFor(`notification ${pattern} (got ${JSON.stringify(this.received.map((r) => r.message))})`, () => this.received.slice(from).find((r) => pattern.test(r.message)));
  }

  close(): void {
    this.child.kill('SIGKILL');
    if (!this.path.startsWith('@')) rmSync(this.path, { force: true });
  }
}
