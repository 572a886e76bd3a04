// A PyTAK client run by Debian's python3 (test/support/pytak_peer.py), and the probe that
// says why a test must skip (no python3, a missing Debian package, no ../shared/peers).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, sharedDir } from './paths.js';
import { waitUntil } from './wait.js';

export const PYTHON = '/usr/bin/python3';
export const PEERS_DIR = join(sharedDir, 'peers');
const SCRIPT = join(repoRoot, 'test/support/pytak_peer.py');

/** Why PyTAK (and, with `taky`, taky) cannot run here; undefined when they can. */
export function peersUnavailableReason(taky = false): string | undefined {
  if (!existsSync(PYTHON)) return `${PYTHON} not found (install python3)`;
  if (!existsSync(join(PEERS_DIR, 'pytak/src/pytak'))) return `PyTAK not found under ${PEERS_DIR}`;
  if (taky && !existsSync(join(PEERS_DIR, 'taky/taky'))) return `taky not found under ${PEERS_DIR}`;
  const modules = taky ? ['lxml', 'dateutil', 'redis', 'cryptography', 'pkg_resources'] : ['cryptography'];
  const probe = spawnSync(PYTHON, ['-c', `import ${modules.join(', ')}`], { encoding: 'utf8' });
  if (probe.status !== 0) return `python3 modules missing (${modules.join(', ')}): apt-get install python3-lxml python3-dateutil python3-redis python3-cryptography python3-pkg-resources — ${probe.stderr.trim().split('\n').pop() ?? ''}`;
  return undefined;
}

export interface ReceivedEvent {
  xml: string;
  uid: string;
  type: string;
}

export class PytakPeer {
  readonly child: ChildProcess;
  readonly received: ReceivedEvent[] = [];
  connected = false;
  error: string | undefined;
  stderr = '';
  private buffer = '';

  constructor(
    readonly name: string,
    url: string,
    env: NodeJS.ProcessEnv = {},
  ) {
    this.child = spawn(PYTHON, [SCRIPT], {
      env: { PATH: process.env.PATH, PYTHONPATH: join(PEERS_DIR, 'pytak/src'), COT_URL: url, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout?.setEncoding('utf8').on('data', (text: string) => this.onText(text));
    this.child.stderr?.setEncoding('utf8').on('data', (text: string) => (this.stderr += text));
    this.child.stdin?.on('error', () => undefined);
  }

  private onText(text: string): void {
    this.buffer += text;
    let newline: number;
    while ((newline = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, newline);
      this.buffer = this.buffer.slice(newline + 1);
      if (line.trim() === '') continue;
      const message = JSON.parse(line) as { connected?: boolean; event?: string; error?: string };
      if (message.connected) this.connected = true;
      if (message.error !== undefined) this.error = message.error;
      if (message.event !== undefined) {
        const uid = /\buid\s*=\s*"([^"]*)"/.exec(message.event)?.[1] ?? '';
        const type = /\btype\s*=\s*"([^"]*)"/.exec(message.event)?.[1] ?? '';
        this.received.push({ xml: message.event, uid, type });
      }
    }
  }

  async ready(): Promise<void> {
    await waitUntil(() => this.connected || this.error !== undefined || this.child.exitCode !== null, `${this.name} connected`);
    if (!this.connected) throw new Error(`${this.name}: ${this.error ?? 'exited'} ${this.stderr.slice(-500)}`);
  }

  send(xml: string): void {
    this.child.stdin?.write(`${JSON.stringify({ send: xml })}\n`);
  }

  /** Uids received, in order. */
  uids(): string[] {
    return this.received.map((e) => e.uid);
  }

  has(uid: string): boolean {
    return this.received.some((e) => e.uid === uid);
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** A PyTAK-style self report (what ATAK sends): a-f-G-U-C with contact, group and takv. */
export function pliXml(uid: string, callsign: string, team: string, staleMs = 600_000): string {
  const now = Date.now();
  return `<event version="2.0" uid="${uid}" type="a-f-G-U-C" how="m-g" time="${iso(now)}" start="${iso(now)}" stale="${iso(now + staleMs)}"><point lat="39.1" lon="-105.2" hae="1600" ce="9.9" le="9.9"/><detail><takv os="1" version="1" device="test" platform="PyTAK"/><contact endpoint="*:-1:stcp" callsign="${callsign}"/><__group name="${team}" role="Team Member"/></detail></event>`;
}

let chatSeq = 0;
const TEAMS = new Set(['White', 'Yellow', 'Orange', 'Magenta', 'Red', 'Maroon', 'Purple', 'Dark Blue', 'Blue', 'Cyan', 'Teal', 'Green', 'Dark Green', 'Brown']);

/** A GeoChat message from `from` to room `room` (All Chat Rooms, a team name, a uid, or a group's id with `participants`); `extra` goes in detail. */
export function chatXml(from: string, fromCallsign: string, room: string, text: string, extra = '', participants?: string[]): { uid: string; xml: string } {
  const now = Date.now();
  chatSeq += 1;
  const uid = `GeoChat.${from}.${room.replace(/ /g, '_')}.${now}-${chatSeq}`;
  // A user-made group chat (room id = the group's uuid) lists its members in chatgrp.
  const recipients = participants !== undefined ? participants.map((uid, i) => ` uid${i + 1}="${uid}"`).join('') : room === 'All Chat Rooms' ? '' : ` uid1="${room}"`;
  // ATAK puts a team room under TeamGroups, everything else under RootContactGroup.
  const parent = TEAMS.has(room) ? 'TeamGroups' : 'RootContactGroup';
  const xml = `<event version="2.0" uid="${uid}" type="b-t-f" how="h-g-i-g-o" time="${iso(now)}" start="${iso(now)}" stale="${iso(now + 86_400_000)}"><point lat="0" lon="0" hae="0" ce="9999999" le="9999999"/><detail><__chat parent="${parent}" groupOwner="false" chatroom="${room}" id="${room}" senderCallsign="${fromCallsign}"><chatgrp uid0="${from}"${recipients} id="${room}"/></__chat><link uid="${from}" type="a-f-G-U-C" relation="p-p"/><remarks source="BAO.F.ATAK.${from}" to="${room}" time="${iso(now)}">${text}</remarks>${extra}</detail></event>`;
  return { uid, xml };
}

/** A marker (persistent), optionally addressed with `<marti>`. */
export function markerXml(uid: string, extra = ''): string {
  const now = Date.now();
  return `<event version="2.0" uid="${uid}" type="a-h-G" how="h-g-i-g-o" time="${iso(now)}" start="${iso(now)}" stale="${iso(now + 600_000)}"><point lat="39.2" lon="-105.3" hae="0" ce="9999999" le="9999999"/><detail><contact callsign="${uid}"/>${extra}</detail></event>`;
}
