// The hub with real peers (issue 17): PyTAK clients (test/support/pytak_peer.py, Debian's
// python3) connected to takd's listeners on loopback, certificates made at test time.
// Deliveries are waited for with bounded polls; "did not get X" is checked after a later
// barrier event reached the same client (the hub keeps each client's events in order).
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createConnection, type Socket } from 'node:net';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { connect as tlsConnect } from 'node:tls';
import { TakdProcess } from './support/daemon-process.js';
import { freePort } from './support/gpsfake.js';
import { makeClientCert, makeTestPki, opensslUnavailableReason, type TestPki } from './support/certs.js';
import { chatXml, markerXml, peersUnavailableReason, pliXml, PytakPeer } from './support/pytak-peer.js';
import { waitUntil } from './support/wait.js';
import type { HubStatus } from '../daemon/hub/hub.js';

const skipPeers = peersUnavailableReason();
const skipTls = skipPeers ?? opensslUnavailableReason();

const peers: PytakPeer[] = [];
const daemons: TakdProcess[] = [];
after(async () => {
  for (const peer of peers) await peer.close();
  for (const takd of daemons) await takd.cleanup();
});

function peer(name: string, url: string, env: NodeJS.ProcessEnv = {}): PytakPeer {
  const p = new PytakPeer(name, url, env);
  peers.push(p);
  return p;
}

async function startTakd(config: string): Promise<TakdProcess> {
  const takd = new TakdProcess();
  daemons.push(takd);
  // Listeners only: nothing leaves loopback.
  takd.writeConfig(`[pli]\nenabled = no\n${config}`);
  takd.start();
  return takd;
}

function hubStatus(takd: TakdProcess): HubStatus | undefined {
  return takd.status()?.hub;
}

/** `peer` received `barrier`; by then it would have received `uid` had it been sent to it. */
async function notReceived(p: PytakPeer, uid: string, barrier: string): Promise<void> {
  await waitUntil(() => p.has(barrier), `${p.name} got the barrier ${barrier}`);
  assert.ok(!p.has(uid), `${p.name} must not get ${uid}`);
}

describe('hub with PyTAK clients (tcp+listen)', { skip: skipPeers }, () => {
  it('PLI both ways, SA replay to a late joiner, team and direct chat, marti dest held for an absent callsign', async () => {
    const port = await freePort();
    const httpPort = await freePort();
    const takd = await startTakd(`[status]\nhttp = 127.0.0.1:${httpPort}\n[output.phones]\nurl = tcp+listen://127.0.0.1:${port}\nhello = no\n`);
    await takd.waitForState('output.phones', 'connected');
    const url = `tcp://127.0.0.1:${port}`;

    const a = peer('ALFA', url);
    const b = peer('BRAVO', url);
    await Promise.all([a.ready(), b.ready()]);
    a.send(pliXml('ALFA-uid', 'ALFA', 'Cyan'));
    b.send(pliXml('BRAVO-uid', 'BRAVO', 'Red'));
    await waitUntil(() => a.has('BRAVO-uid') && b.has('ALFA-uid'), 'ALFA and BRAVO see each other');
    assert.ok(!a.has('ALFA-uid') && !b.has('BRAVO-uid'), 'nobody gets its own PLI back');

    // A marker ALFA placed: persistent, replayed too.
    a.send(markerXml('marker-1'));
    await waitUntil(() => b.has('marker-1'), 'BRAVO sees the marker');

    // CHARLIE joins later: both positions and the marker at once, nothing of its own.
    const c = peer('CHARLIE', url);
    await c.ready();
    c.send(pliXml('CHARLIE-uid', 'CHARLIE', 'Cyan'));
    await waitUntil(() => c.has('ALFA-uid') && c.has('BRAVO-uid') && c.has('marker-1'), 'SA replay to CHARLIE');
    assert.ok(!c.has('CHARLIE-uid'));
    await waitUntil(() => a.has('CHARLIE-uid') && b.has('CHARLIE-uid'), 'the others see CHARLIE');

    // Team chat (Cyan: ALFA and CHARLIE): CHARLIE gets it, BRAVO (Red) does not.
    const team = chatXml('ALFA-uid', 'ALFA', 'Cyan', 'team only');
    a.send(team.xml);
    await waitUntil(() => c.has(team.uid), 'CHARLIE gets the Cyan chat');
    const all1 = chatXml('ALFA-uid', 'ALFA', 'All Chat Rooms', 'barrier 1');
    a.send(all1.xml);
    await notReceived(b, team.uid, all1.uid);
    assert.ok(!a.has(team.uid), 'not back to the sender');

    // Direct chat by uid: only BRAVO.
    const direct = chatXml('ALFA-uid', 'ALFA', 'BRAVO-uid', 'for bravo');
    a.send(direct.xml);
    await waitUntil(() => b.has(direct.uid), 'BRAVO gets the direct chat');
    // Direct chat by callsign (<marti><dest callsign>, as ATAK and WinTAK address): only CHARLIE.
    const byCallsign = chatXml('ALFA-uid', 'ALFA', 'some-room', 'for charlie', '<marti><dest callsign="CHARLIE"/></marti>');
    a.send(byCallsign.xml);
    await waitUntil(() => c.has(byCallsign.uid), 'CHARLIE gets the chat addressed by callsign');
    const all2 = chatXml('ALFA-uid', 'ALFA', 'All Chat Rooms', 'barrier 2');
    a.send(all2.xml);
    await notReceived(c, direct.uid, all2.uid);
    await notReceived(b, byCallsign.uid, all2.uid);

    // <marti><dest callsign="DELTA"> while no DELTA is connected: held, and DELTA gets it when it identifies.
    a.send(markerXml('for-delta', '<marti><dest callsign="DELTA"/></marti>'));
    const all3 = chatXml('ALFA-uid', 'ALFA', 'All Chat Rooms', 'barrier 3');
    a.send(all3.xml);
    await notReceived(b, 'for-delta', all3.uid);
    await notReceived(c, 'for-delta', all3.uid);
    await waitUntil(() => (hubStatus(takd)?.mailbox.events ?? 0) >= 1, 'the event is held in the mailbox');
    const d = peer('DELTA', url);
    await d.ready();
    d.send(pliXml('DELTA-uid', 'DELTA', 'Blue'));
    await waitUntil(() => d.has('for-delta') && d.has('ALFA-uid') && d.has('BRAVO-uid') && d.has('CHARLIE-uid'), 'DELTA gets the held event and the SA replay');
    assert.ok(!d.has(team.uid) && !d.has(direct.uid), 'no chat in the replay');

    // The registry: status.json and /metrics (no label per client).
    await waitUntil(() => hubStatus(takd)?.identified === 4, 'status.json: 4 identified clients');
    const hub = hubStatus(takd) as HubStatus;
    assert.deepEqual(hub.connected.map((x) => x.callsign).sort(), ['ALFA', 'BRAVO', 'CHARLIE', 'DELTA']);
    const alfa = hub.connected.find((x) => x.uid === 'ALFA-uid');
    assert.equal(alfa?.team, 'Cyan');
    assert.ok((alfa?.eventsIn ?? 0) >= 8 && (alfa?.bytesIn ?? 0) > 0 && (alfa?.bytesOut ?? 0) > 0);
    assert.ok(hub.counters.replayed >= 6 && hub.counters.mailboxDelivered >= 1);
    const metrics = await (await fetch(`http://127.0.0.1:${httpPort}/metrics`)).text();
    assert.match(metrics, /^takd_hub_clients 4$/m);
    assert.match(metrics, /^takd_hub_deliveries_total\{kind="replay"\} \d+$/m);
    assert.ok(!/takd_hub\w*\{[^}]*ALFA/.test(metrics), 'no uid or callsign label');
  });
});

describe('hub identity on tls+listen', { skip: skipTls }, () => {
  it('bind_identity: a certificate for MALLORY cannot claim ALFA; a client without a certificate is refused; the honest client is unaffected', async () => {
    const pki: TestPki = makeTestPki();
    const alfaCert = makeClientCert(pki, 'alfa', 'ALFA');
    const malloryCert = makeClientCert(pki, 'mallory', 'MALLORY');
    const port = await freePort();
    const takd = await startTakd(
      `[output.tls-phones]\nurl = tls+listen://127.0.0.1:${port}\nhello = no\ncert = ${pki.serverCert}\nkey = ${pki.serverKey}\nclient_ca = ${pki.caCert}\nbind_identity = yes\n`,
    );
    await takd.waitForState('output.tls-phones', 'connected');
    const url = `tls://127.0.0.1:${port}`;
    const tlsEnv = (cert: { cert: string; key: string } | undefined): NodeJS.ProcessEnv => ({
      PYTAK_TLS_CLIENT_CAFILE: pki.caCert,
      ...(cert ? { PYTAK_TLS_CLIENT_CERT: cert.cert, PYTAK_TLS_CLIENT_KEY: cert.key } : {}),
    });

    const alfa = peer('ALFA', url, tlsEnv(alfaCert));
    await alfa.ready();
    alfa.send(pliXml('ALFA-uid', 'ALFA', 'Cyan'));
    await waitUntil(() => hubStatus(takd)?.identified === 1, 'ALFA identified (CN = callsign)');

    const mallory = peer('MALLORY', url, tlsEnv(malloryCert));
    await mallory.ready();
    mallory.send(pliXml('ALFA-uid', 'ALFA', 'Cyan'));
    await waitUntil(() => (hubStatus(takd)?.counters.identityMismatch ?? 0) === 1, 'the impersonation is counted');
    await waitUntil(() => mallory.error !== undefined, 'MALLORY is disconnected');

    // PyTAK will not connect over TLS without a client certificate of its own, so this one is node's.
    const anonymous = tlsConnect({ host: '127.0.0.1', port, ca: readFileSync(pki.caCert), servername: 'localhost' });
    anonymous.on('error', () => undefined);
    anonymous.on('secureConnect', () => anonymous.write(pliXml('ANON-uid', 'ANON', 'Cyan')));
    await waitUntil(() => (takd.component('output.tls-phones')?.counters['tlsRefused.noCertificate'] ?? 0) >= 1, 'the client without a certificate is refused and counted');
    await waitUntil(() => anonymous.destroyed || anonymous.readableEnded, 'the client without a certificate is disconnected');

    // ALFA is still connected, identified, and never saw the impostor's report.
    const hub = hubStatus(takd) as HubStatus;
    assert.equal(hub.clients, 1);
    assert.equal(hub.connected[0]?.certCn, 'ALFA');
    assert.equal(alfa.received.length, 0, 'ALFA got nothing: not the impostor, not the anonymous client');
    pki.cleanup();
  });

  it('client_cert = optional: warned at start; a client without a certificate gets in, one from another CA is still refused', async () => {
    const pki: TestPki = makeTestPki();
    const port = await freePort();
    const takd = await startTakd(
      `[output.tls-phones]\nurl = tls+listen://127.0.0.1:${port}\nhello = no\ncert = ${pki.serverCert}\nkey = ${pki.serverKey}\nclient_ca = ${pki.caCert}\nclient_cert = optional\n`,
    );
    await takd.waitForState('output.tls-phones', 'connected');
    await waitUntil(() => /WITHOUT a certificate \(client_cert = optional\)/.test(takd.stdout + takd.stderr), 'the start warns');
    const ca = readFileSync(pki.caCert);
    const anonymous = tlsConnect({ host: '127.0.0.1', port, ca, servername: 'localhost' });
    anonymous.on('error', () => undefined);
    anonymous.on('secureConnect', () => anonymous.write(pliXml('ANON-uid', 'ANON', 'Cyan')));
    await waitUntil(() => hubStatus(takd)?.identified === 1, 'the client without a certificate got in and identified');
    const intruder = tlsConnect({ host: '127.0.0.1', port, ca, servername: 'localhost', cert: readFileSync(pki.wrongClientCert), key: readFileSync(pki.wrongClientKey) });
    intruder.on('error', () => undefined);
    await waitUntil(() => (takd.component('output.tls-phones')?.counters['tlsRefused.unknownCa'] ?? 0) >= 1, 'the certificate from another CA is refused and counted');
    await waitUntil(() => intruder.destroyed || intruder.readableEnded, 'the intruder is disconnected');
    assert.equal(hubStatus(takd)?.clients, 1);
    anonymous.destroy();
    pki.cleanup();
  });

  it('a tls+listen without client_ca does not start, and says what to set', async () => {
    const pki: TestPki = makeTestPki();
    const port = await freePort();
    const takd = await startTakd(`[output.tls-phones]\nurl = tls+listen://127.0.0.1:${port}\ncert = ${pki.serverCert}\nkey = ${pki.serverKey}\n`);
    const [code] = (await takd.exit) as [number | null, NodeJS.Signals | null];
    assert.notEqual(code, 0);
    assert.match(takd.stderr, /client_ca/);
    assert.match(takd.stderr, /client_cert = optional/);
    pki.cleanup();
  });
});

describe('hub and a client that never reads', () => {
  it('is closed once its queue stays full; the other clients get every message', async () => {
    const port = await freePort();
    const takd = await startTakd(`[output.phones]\nurl = tcp+listen://127.0.0.1:${port}\nhello = no\nstall_timeout = 1\n`);
    await takd.waitForState('output.phones', 'connected');
    const connect = async (uid: string, read: boolean): Promise<{ socket: Socket; text: () => string }> => {
      const socket = createConnection({ host: '127.0.0.1', port });
      await once(socket, 'connect');
      let text = '';
      socket.on('error', () => undefined);
      if (read) socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      else socket.pause();
      socket.write(pliXml(uid, uid, 'Cyan'));
      return { socket, text: () => text };
    };
    const talker = await connect('TALKER', true);
    const listener = await connect('LISTENER', true);
    const stuck = await connect('STUCK', false);
    await waitUntil(() => hubStatus(takd)?.identified === 3, 'three clients identified');
    const filler = 'x'.repeat(4000);
    const batches = 60;
    for (let batch = 0; batch < batches; batch += 1) {
      let text = '';
      for (let i = 0; i < 100; i += 1) text += chatXml('TALKER', 'TALKER', 'All Chat Rooms', `${batch}-${i} ${filler}`).xml;
      talker.socket.write(text);
      // The reading client keeps up with every batch: nothing it should get is lost.
      await waitUntil(() => (listener.text().match(/type="b-t-f"/g) ?? []).length === (batch + 1) * 100, `LISTENER got batch ${batch}`);
    }
    await waitUntil(() => {
      const hub = hubStatus(takd);
      const closedSlow = takd.component('output.phones')?.counters['closed.slowReader'] ?? 0;
      return hub !== undefined && hub.clients === 2 && closedSlow + hub.counters.closedQueueFull >= 1;
    }, 'the client that never reads is closed and counted');
    assert.equal((listener.text().match(/type="b-t-f"/g) ?? []).length, batches * 100);
    for (const c of [talker, listener, stuck]) c.socket.destroy();
  });
});

describe('hub = false', () => {
  it('keeps a listener out of the hub: its clients do not see each other', async () => {
    const port = await freePort();
    const takd = await startTakd(`[output.solo]\nurl = tcp+listen://127.0.0.1:${port}\nhello = no\nhub = false\n`);
    await takd.waitForState('output.solo', 'connected');
    const open = async (): Promise<{ socket: Socket; text: () => string }> => {
      const socket = createConnection({ host: '127.0.0.1', port });
      await once(socket, 'connect');
      let text = '';
      socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      socket.on('error', () => undefined);
      return { socket, text: () => text };
    };
    const a = await open();
    const b = await open();
    a.socket.write(pliXml('SOLO-A', 'SOLO-A', 'Cyan'));
    await waitUntil(() => (takd.component('output.solo')?.counters.eventsReceived ?? 0) >= 1, 'takd got A\'s position');
    // B pings and gets its pong: anything relayed to it before would have arrived first.
    const now = new Date().toISOString();
    b.socket.write(`<event version="2.0" uid="SOLO-B-ping" type="t-x-c-t" how="m-g" time="${now}" start="${now}" stale="${now}"><point lat="0" lon="0" hae="0" ce="9999999" le="9999999"/><detail/></event>`);
    await waitUntil(() => b.text().includes('t-x-c-t-r'), 'B got its pong');
    assert.ok(!b.text().includes('SOLO-A'));
    assert.equal(hubStatus(takd)?.clients, 0);
    a.socket.destroy();
    b.socket.destroy();
  });
});

describe('hub and the rest of takd', () => {
  it('events the router sends to a hub listener reach its clients, addressed ones only their addressee, and are replayed to a late joiner', async () => {
    const port = await freePort();
    const feedPort = await freePort();
    // A receive-only listener stands for the rest of takd (mesh, server, radios): its events reach the phones through the router.
    const takd = await startTakd(`[input.feed]\nurl = tcp+listen+ro://127.0.0.1:${feedPort}\n[output.phones]\nurl = tcp+listen://127.0.0.1:${port}\nhello = no\n`);
    await takd.waitForState('output.phones', 'connected');
    const open = async (p: number): Promise<{ socket: Socket; text: () => string }> => {
      const socket = createConnection({ host: '127.0.0.1', port: p });
      await once(socket, 'connect');
      let text = '';
      socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      socket.on('error', () => undefined);
      return { socket, text: () => text };
    };
    const alfa = await open(port);
    const bravo = await open(port);
    alfa.socket.write(pliXml('R-ALFA', 'R-ALFA', 'Cyan'));
    bravo.socket.write(pliXml('R-BRAVO', 'R-BRAVO', 'Red'));
    await waitUntil(() => hubStatus(takd)?.identified === 2, 'both phones identified');
    const feed = await open(feedPort);
    feed.socket.write(pliXml('MESH-1', 'MESH-1', 'Green'));
    feed.socket.write(markerXml('mesh-for-bravo', '<marti><dest uid="R-BRAVO"/></marti>'));
    feed.socket.write(markerXml('mesh-marker'));
    await waitUntil(() => alfa.text().includes('mesh-marker') && bravo.text().includes('mesh-marker'), 'both phones get the mesh marker');
    assert.ok(alfa.text().includes('MESH-1') && bravo.text().includes('MESH-1'));
    assert.ok(bravo.text().includes('mesh-for-bravo'), 'the addressee gets the addressed event');
    assert.ok(!alfa.text().includes('mesh-for-bravo'), 'nobody else does');
    const charlie = await open(port);
    charlie.socket.write(pliXml('R-CHARLIE', 'R-CHARLIE', 'Cyan'));
    await waitUntil(() => charlie.text().includes('MESH-1') && charlie.text().includes('mesh-marker'), 'the late joiner gets the mesh track and marker by SA replay');
    assert.ok(!charlie.text().includes('mesh-for-bravo'));
    for (const c of [alfa, bravo, charlie, feed]) c.socket.destroy();
  });

  it('the data-package server lists the hub\'s identified clients at /Marti/api/clientEndPoints', async () => {
    const port = await freePort();
    const martiPort = await freePort();
    const takd = await startTakd(`[marti]\nurl = http+listen://127.0.0.1:${martiPort}\n[output.phones]\nurl = tcp+listen://127.0.0.1:${port}\nhello = no\n`);
    await takd.waitForState('output.phones', 'connected');
    await takd.waitForState('marti', 'connected');
    const phone = createConnection({ host: '127.0.0.1', port });
    phone.on('error', () => undefined);
    await once(phone, 'connect');
    phone.write(pliXml('EP-ALFA', 'EP-ALFA-CS', 'Cyan'));
    await waitUntil(() => hubStatus(takd)?.identified === 1, 'the phone identified');
    const body = await (await fetch(`http://127.0.0.1:${martiPort}/Marti/api/clientEndPoints`)).text();
    assert.match(body, /EP-ALFA/);
    assert.match(body, /EP-ALFA-CS/);
    phone.destroy();
  });
});
