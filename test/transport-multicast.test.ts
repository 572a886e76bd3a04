// Multicast, broadcast, interface selection, own-datagram dropping and TTL, all inside
// network namespaces this file creates (never from the machine's own namespace).
// Skips with a reason when not root or `ip netns` is missing; the TTL test also needs
// smcroute (a static multicast router) from apt and a kernel that forwards multicast between
// namespaces (probed with a TTL 3 datagram before TTL 1 vs 2 is judged).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { commandAvailable, connect, NetNs, netnsUnavailableReason } from './support/netns.js';
import { sleep } from './support/transport-fixtures.js';
import { jsonLinesOf } from './support/loop-scripts.js';
import { eventually, waitUntil } from './support/wait.js';

const notRunnable = netnsUnavailableReason();
const skip = notRunnable ?? false;
const skipTtl = skip || (commandAvailable('smcrouted') ? false : 'smcroute is not installed (apt install smcroute)');
const skipOwn = skip || (commandAvailable('sysctl') ? false : 'sysctl is not installed (apt install procps)');

const transportsModule = new URL('../daemon/transports/index.js', import.meta.url).href;
const GROUP = '239.2.3.1';

const namespaces: NetNs[] = [];
const children: ChildProcess[] = [];
function ns(): NetNs {
  const created = NetNs.create();
  namespaces.push(created);
  return created;
}
after(() => {
  for (const child of children) child.kill('SIGKILL');
  for (const n of namespaces) n.delete();
});

/** A takd transport running in a child process inside a namespace, reporting as JSON lines. */
interface Peer {
  lines: Record<string, unknown>[];
  received(): { uid: string; peer: string; version: number }[];
  /** Stops the child and returns its final status line. */
  stop(): Promise<Record<string, unknown>>;
}

interface PeerConfig {
  url: string;
  options?: Record<string, unknown>;
  /** Send an event with uid `${uidPrefix}${n}` at this interval. */
  sendEveryMs?: number;
  uidPrefix?: string;
}

const PEER_SCRIPT = `
import { openTransport } from ${JSON.stringify(transportsModule)};
const cfg = JSON.parse(process.env.TAKD_PEER);
const out = (obj) => process.stdout.write(JSON.stringify(obj) + '\\n');
const t = await openTransport(cfg.url, { ...cfg.options, onEvent: (e, o) => out({ uid: e.uid, peer: o.peer, version: o.version }) });
t.start();
const event = (uid) => { const now = Date.now(); return { uid, type: 'a-f-G-U-C', how: 'm-g', time: now, start: now, stale: now + 60000, point: { lat: 1, lon: 2, hae: 0, ce: 5, le: 9999999 }, contact: { callsign: uid } }; };
let n = 0;
const ready = setInterval(() => {
  if (t.canReceive && t.boundPort === undefined) return;
  clearInterval(ready);
  out({ ready: true });
  if (cfg.sendEveryMs) setInterval(() => t.send(event(cfg.uidPrefix + n++)), cfg.sendEveryMs);
}, 10);
process.on('SIGTERM', async () => {
  out({ final: true, status: t.status(), ownDropped: t.ownDatagramsDropped });
  await t.close();
  process.exit(0);
});
`;

async function startPeer(where: NetNs, config: PeerConfig): Promise<Peer> {
  const child = where.spawn(process.execPath, ['--input-type=module', '-e', PEER_SCRIPT], { ...process.env, TAKD_PEER: JSON.stringify(config) });
  children.push(child);
  const lines = jsonLinesOf(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  await waitUntil(() => lines.some((l) => l.ready === true) || child.exitCode !== null, `peer ${config.url} ready`);
  assert.ok(lines.some((l) => l.ready === true), `peer failed to start: ${stderr}`);
  return {
    lines,
    received: () => lines.filter((l) => typeof l.uid === 'string') as { uid: string; peer: string; version: number }[],
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      const final = lines.find((l) => l.final === true);
      assert.ok(final, `no final status from ${config.url}: ${stderr}`);
      return final;
    },
  };
}

test('multicast goes out on the chosen interface only: by name, by address, or on several', { skip }, async () => {
  const a = ns();
  const b1 = ns();
  const b2 = ns();
  connect(a, 'a0', '10.77.0.1/24', b1, 'b0', '10.77.0.2/24');
  connect(a, 'a1', '10.77.1.1/24', b2, 'b0', '10.77.1.2/24');
  const listenUrl = `udp+ro://${GROUP}:6969?interface=b0`;
  for (const [sendUrl, expectB1, expectB2] of [
    [`udp+wo://${GROUP}:6969?interface=a1`, false, true],
    [`udp+wo://${GROUP}:6969?interface=10.77.0.1`, true, false],
    [`udp+wo://${GROUP}:6969?interface=a0,a1`, true, true],
  ] as const) {
    const r1 = await startPeer(b1, { url: listenUrl });
    const r2 = await startPeer(b2, { url: listenUrl });
    const sender = await startPeer(a, { url: sendUrl, sendEveryMs: 50, uidPrefix: 'sel-', options: { proto: 1 } });
    const expected = expectB1 ? r1 : r2;
    await waitUntil(() => expected.received().length >= 3, `datagrams via ${sendUrl}`);
    await sleep(200); // the other side had the same chance to receive
    await sender.stop();
    assert.equal(r1.received().length > 0, expectB1, `${sendUrl} reached b1?`);
    assert.equal(r2.received().length > 0, expectB2, `${sendUrl} reached b2?`);
    assert.ok(expected.received().every((r) => r.version === 1 && r.uid.startsWith('sel-')));
    await r1.stop();
    await r2.stop();
  }
});

test('our own datagrams coming back (two interfaces on one LAN) are dropped; a peer\'s are delivered', { skip: skipOwn }, async () => {
  const a = ns();
  const lan = ns();
  const p = ns();
  lan.run('ip', 'link', 'add', 'br0', 'type', 'bridge');
  lan.run('ip', 'link', 'set', 'br0', 'up');
  connect(a, 'a0', '10.78.0.1/24', lan, 's0', '10.78.9.1/32');
  connect(a, 'a1', '10.78.0.2/24', lan, 's1', '10.78.9.2/32');
  connect(p, 'p0', '10.78.0.3/24', lan, 's2', '10.78.9.3/32');
  for (const port of ['s0', 's1', 's2']) lan.run('ip', 'link', 'set', port, 'master', 'br0');
  // Let the kernel hand us datagrams whose source is one of our own addresses, as a reflecting LAN would.
  a.run('sysctl', '-qw', 'net.ipv4.conf.all.accept_local=1', 'net.ipv4.conf.a0.accept_local=1', 'net.ipv4.conf.a1.accept_local=1',
    'net.ipv4.conf.all.rp_filter=0', 'net.ipv4.conf.a0.rp_filter=0', 'net.ipv4.conf.a1.rp_filter=0');
  const self = await startPeer(a, { url: `udp://${GROUP}:6969?interface=a0,a1`, sendEveryMs: 50, uidPrefix: 'own-' });
  const peer = await startPeer(p, { url: `udp+wo://${GROUP}:6969?interface=p0`, sendEveryMs: 100, uidPrefix: 'peer-' });
  await waitUntil(() => self.received().length >= 3, 'peer datagrams');
  await peer.stop();
  const final = await self.stop();
  assert.ok(self.received().every((r) => r.uid.startsWith('peer-')), 'none of our own events delivered');
  assert.ok((final.ownDropped as number) > 0, `own datagrams came back and were dropped: ${String(final.ownDropped)}`);
  const counters = (final.status as { counters: { ownDatagramsDropped?: number } }).counters;
  assert.equal(counters.ownDatagramsDropped, final.ownDropped, 'and status() reports them (status.json, /metrics)');
});

test('broadcast: subnet-directed and limited (255.255.255.255), mesh framing', { skip }, async () => {
  const a = ns();
  const b = ns();
  connect(a, 'a0', '10.79.0.1/24', b, 'b0', '10.79.0.2/24');
  a.run('ip', 'route', 'add', 'default', 'dev', 'a0');
  for (const address of ['10.79.0.255', '255.255.255.255']) {
    const receiver = await startPeer(b, { url: `udp+broadcast://${address}:6969`, options: {} });
    const sender = await startPeer(a, { url: `udp+broadcast://${address}:6969`, sendEveryMs: 50, uidPrefix: 'bc-', options: { proto: 1 } });
    await waitUntil(() => receiver.received().length >= 3, `broadcast to ${address}`);
    await sender.stop();
    await receiver.stop();
    assert.ok(receiver.received().every((r) => r.version === 1 && r.peer.startsWith('10.79.0.1:')));
  }
});

test('a named interface is re-resolved when its address changes', { skip }, async () => {
  const a = ns();
  const b = ns();
  connect(a, 'a0', '10.81.0.1/24', b, 'b0', '10.81.0.2/24');
  const receiver = await startPeer(b, { url: `udp+ro://${GROUP}:6969?interface=b0` });
  const sender = await startPeer(a, { url: `udp+wo://${GROUP}:6969?interface=a0`, sendEveryMs: 50, uidPrefix: 'dhcp-', options: { interfaceRecheckMs: 100 } });
  await waitUntil(() => receiver.received().length >= 2, 'datagrams from the first address');
  a.run('ip', 'addr', 'flush', 'dev', 'a0');
  a.run('ip', 'addr', 'add', '10.81.0.77/24', 'dev', 'a0');
  await waitUntil(() => receiver.received().some((r) => r.peer.startsWith('10.81.0.77:')), 'datagrams from the new address');
  await sender.stop();
  await receiver.stop();
});

/** How long a TTL 3 probe may take to cross the router before we call the kernel unable. */
const FORWARDING_PROBE_MS = 8_000;

test('TTL: a multicast router forwards TTL 2 and not TTL 1', { skip: skipTtl }, async (t) => {
  const a = ns();
  const r = ns();
  const b = ns();
  connect(a, 'a0', '10.80.1.1/24', r, 'r0', '10.80.1.2/24');
  connect(r, 'r1', '10.80.2.1/24', b, 'b0', '10.80.2.2/24');
  const conf = join(tmpdir(), `${r.name}.conf`);
  writeFileSync(conf, `mroute from r0 group ${GROUP} to r1\n`);
  const files = ['sock', 'pid'].map((ext) => join(tmpdir(), `${r.name}.${ext}`));
  const router = r.spawn('smcrouted', ['-n', '-f', conf, '-i', r.name, '-u', files[0] as string, '-P', files[1] as string, '-l', 'info']);
  children.push(router);
  let routerLog = '';
  router.stderr?.on('data', (d: Buffer) => (routerLog += d.toString()));
  router.stdout?.on('data', (d: Buffer) => (routerLog += d.toString()));
  try {
    await waitUntil(() => /Ready|waiting for/i.test(routerLog), 'smcrouted ready');
    const receiver = await startPeer(b, { url: `udp+ro://${GROUP}:6969?interface=b0` });
    // The capability first: some kernels (or containers) do not forward multicast between
    // namespaces even with smcrouted running. A TTL 3 datagram must cross before TTL 1 vs 2
    // means anything.
    const probe = await startPeer(a, { url: `udp+wo://${GROUP}:6969?interface=a0&ttl=3`, sendEveryMs: 50, uidPrefix: 'probe-' });
    const crossed = await eventually(() => receiver.received().some((x) => x.uid.startsWith('probe-')), FORWARDING_PROBE_MS);
    await probe.stop();
    if (!crossed) {
      const mcForwarding = r.run('cat', '/proc/sys/net/ipv4/conf/all/mc_forwarding').trim();
      await receiver.stop();
      t.skip(`kernel multicast forwarding between network namespaces: smcrouted is running but net.ipv4.conf.all.mc_forwarding = ${mcForwarding} in its namespace and no TTL 3 datagram crossed it in ${FORWARDING_PROBE_MS / 1000} s`);
      return;
    }
    const ttl1 = await startPeer(a, { url: `udp+wo://${GROUP}:6969?interface=a0&ttl=1`, sendEveryMs: 50, uidPrefix: 'ttl1-' });
    await sleep(300);
    const ttl2 = await startPeer(a, { url: `udp+wo://${GROUP}:6969?interface=a0&ttl=2`, sendEveryMs: 50, uidPrefix: 'ttl2-' });
    const ttl2Received = () => receiver.received().filter((x) => x.uid.startsWith('ttl2-')).length;
    await waitUntil(() => ttl2Received() >= 3, 'TTL 2 datagrams across the router');
    const final1 = await ttl1.stop();
    await ttl2.stop();
    await receiver.stop();
    assert.ok(((final1.status as { counters: { eventsSent: number } }).counters.eventsSent) >= 5, 'TTL 1 datagrams were sent');
    assert.ok(!receiver.received().some((x) => x.uid.startsWith('ttl1-')), 'no TTL 1 datagram crossed the router');
  } finally {
    router.kill('SIGTERM');
    for (const f of [conf, ...files]) rmSync(f, { force: true });
  }
});
