// With no configuration file, takd picks gpsd on localhost when it answers and sends Mesh SA
// (239.2.3.1:6969, TTL 1), saying what it chose and why in its first log lines. Runs only
// inside a network namespace made here: nothing may send multicast from the machine's own.
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { NetNs, netnsUnavailableReason } from './support/netns.js';
import { TakdProcess, TAKD_MAIN, waitFor } from './support/daemon-process.js';

const skip = netnsUnavailableReason();

/** A stand-in gpsd: VERSION on connect, then a 3D TPV every 200 ms once WATCHed. */
const FAKE_GPSD = `
const net = require('node:net');
net.createServer((socket) => {
  socket.on('error', () => {});
  socket.write('{"class":"VERSION","release":"3.22","rev":"3.22","proto_major":3,"proto_minor":14}\\r\\n');
  socket.once('data', () => {
    const timer = setInterval(() => socket.write(JSON.stringify({ class: 'TPV', device: '/dev/fake', mode: 3, time: new Date().toISOString(), lat: 59.95, lon: 10.75, altHAE: 120, altMSL: 80, speed: 0, track: 0, eph: 5, epv: 8 }) + '\\r\\n'), 200);
    socket.on('close', () => clearInterval(timer));
  });
}).listen(2947, '127.0.0.1', () => console.log('listening'));
`;

/** Joins 239.2.3.1 on lo and prints every datagram on one line. */
const MESH_RECEIVER = `
const dgram = require('node:dgram');
const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
socket.on('message', (m) => console.log(m.toString('utf8').replace(/\\n/g, ' ')));
socket.bind(6969, () => { socket.addMembership('239.2.3.1', '127.0.0.1'); console.log('listening'); });
`;

const namespaces: NetNs[] = [];
const children: ChildProcess[] = [];
const processes: TakdProcess[] = [];
after(async () => {
  for (const p of processes) await p.cleanup();
  for (const c of children) c.kill('SIGKILL');
  for (const ns of namespaces) ns.delete();
});

function output(child: ChildProcess): () => string {
  let text = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  return () => text;
}

function namespaceWithMulticastOnLo(): NetNs {
  const ns = NetNs.create();
  namespaces.push(ns);
  ns.run('ip', 'link', 'set', 'lo', 'multicast', 'on');
  ns.run('ip', 'route', 'add', '224.0.0.0/4', 'dev', 'lo');
  return ns;
}

describe('embedded default (no configuration file)', { skip }, () => {
  it('gpsd on localhost → PLI on Mesh SA, and the first log lines say why', async () => {
    const ns = namespaceWithMulticastOnLo();
    const gpsd = ns.spawn(process.execPath, ['-e', FAKE_GPSD]);
    const receiver = ns.spawn(process.execPath, ['-e', MESH_RECEIVER]);
    children.push(gpsd, receiver);
    const gpsdOut = output(gpsd);
    const meshOut = output(receiver);
    await waitFor('fake gpsd', () => (gpsdOut().includes('listening') ? true : undefined));
    await waitFor('mesh receiver', () => (meshOut().includes('listening') ? true : undefined));

    const takd = new TakdProcess();
    processes.push(takd);
    takd.start(['--no-config', '--callsign', 'NS-TEST'], { TAKD_PLI_MOVING_FASTEST: '1' }, ['ip', 'netns', 'exec', ns.name, process.execPath, TAKD_MAIN, 'run']);
    await waitFor('a PLI on the mesh', () => (/<event [^>]*type="a-f-G-U-C"[\s\S]*callsign="NS-TEST"/.test(meshOut()) ? true : undefined), 20_000);
    assert.match(takd.stdout, /embedded default: output\.mesh: udp:\/\/239\.2\.3\.1:6969 TTL 1 \(no configuration file/);
    assert.match(takd.stdout, /embedded default: source\.gps: gpsd at tcp:\/\/127\.0\.0\.1:2947 \(gpsd answers on 127\.0\.0\.1:2947\)/);
    assert.match(meshOut(), /<point lat="59\.95" lon="10\.75"/);
    const mesh = takd.component('output.mesh');
    assert.equal(mesh?.state, 'connected');
    assert.equal(await takd.stop(), 0);
  });

  it('without gpsd it says there is no GPS (or which serial receiver it chose)', async () => {
    const ns = namespaceWithMulticastOnLo();
    const takd = new TakdProcess();
    processes.push(takd);
    takd.start(['--no-config'], {}, ['ip', 'netns', 'exec', ns.name, process.execPath, TAKD_MAIN, 'run']);
    await takd.waitForState('output.mesh', 'connected');
    assert.match(takd.stdout, /embedded default: (no GPS: gpsd does not answer|source\.gps: \/dev\/.* looks like a GNSS receiver)/);
    assert.equal(await takd.stop(), 0);
  });
});
