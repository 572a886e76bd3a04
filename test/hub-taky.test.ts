// taky as the reference (issue 17): one scenario, driven by the same PyTAK clients, run
// through taky (../shared/peers/taky, plain TCP) and through takd's hub. Each client's
// deliveries are recorded after every step, behind barriers (every connected client sends
// an All Chat Rooms message and every other one waits for it: both servers keep a
// sender's events in order), and the two tables are compared.
//
// They agree except where taky is known or found wrong, each listed in TAKY_DIFFERS with why:
//  - group chat (taky#70, "Route Group chats"): a chat room a user made has the group's uuid
//    as its id and the members in chatgrp uid1..N; taky takes the id for a recipient uid, so
//    the message reaches nobody. takd delivers it to the chatgrp members. Team-colour rooms
//    (parent TeamGroups, id = the colour) taky does route to the team: they agree here;
//  - a GeoChat addressed with <marti><dest callsign>: taky routes every GeoChat by its room id
//    alone and ignores <marti>, so a chat addressed by callsign reaches nobody;
//  - <marti><dest> for a client that is not connected: taky has no mailbox; it is lost.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { TakdProcess } from './support/daemon-process.js';
import { chatXml, markerXml, peersUnavailableReason, pliXml, PytakPeer } from './support/pytak-peer.js';
import { startTaky } from './support/taky-server.js';
import { waitUntil } from './support/wait.js';
import { freePort } from './support/gpsfake.js';

const skip = peersUnavailableReason(true);
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

type Table = Record<string, string[]>;

/** The scenario: returns what each client received (barriers left out), by stable names. */
async function scenario(url: string): Promise<Table> {
  const peers = new Map<string, PytakPeer>();
  const names = new Map<string, string>(); // event uid → name in the table
  let round = 0;
  const barriers = new Set<string>();
  const connect = async (name: string): Promise<PytakPeer> => {
    const peer = new PytakPeer(name, url);
    cleanups.push(() => peer.close());
    await peer.ready();
    peers.set(name, peer);
    return peer;
  };
  const sync = async (): Promise<void> => {
    round += 1;
    const sent: [string, string][] = [];
    for (const [name, peer] of peers) {
      const chat = chatXml(`${name}-uid`, name, 'All Chat Rooms', `barrier ${round}`);
      barriers.add(chat.uid);
      peer.send(chat.xml);
      sent.push([name, chat.uid]);
    }
    for (const [name, peer] of peers) {
      for (const [from, uid] of sent) if (from !== name) await waitUntil(() => peer.has(uid), `${name} got ${from}'s barrier ${round}`);
    }
  };
  const send = (from: string, name: string, uid: string, xml: string): void => {
    names.set(uid, name);
    peers.get(from)?.send(xml);
  };
  for (const who of ['ALFA', 'BRAVO', 'CHARLIE', 'DELTA']) names.set(`${who}-uid`, `pli:${who}`);

  const a = await connect('ALFA');
  await connect('BRAVO');
  a.send(pliXml('ALFA-uid', 'ALFA', 'Cyan'));
  peers.get('BRAVO')?.send(pliXml('BRAVO-uid', 'BRAVO', 'Red'));
  await sync();
  send('ALFA', 'marker', 'marker-1', markerXml('marker-1'));
  await sync();
  (await connect('CHARLIE')).send(pliXml('CHARLIE-uid', 'CHARLIE', 'Cyan'));
  await sync();
  const team = chatXml('ALFA-uid', 'ALFA', 'Cyan', 'team only');
  send('ALFA', 'chat:team-Cyan', team.uid, team.xml);
  await sync();
  const direct = chatXml('ALFA-uid', 'ALFA', 'BRAVO-uid', 'direct by uid');
  send('ALFA', 'chat:direct-BRAVO-uid', direct.uid, direct.xml);
  await sync();
  const group = chatXml('ALFA-uid', 'ALFA', '6f1c2a9e-group-uuid', 'user-made group', '', ['BRAVO-uid', 'CHARLIE-uid']);
  send('ALFA', 'chat:group-BRAVO-CHARLIE', group.uid, group.xml);
  await sync();
  const byCallsign = chatXml('ALFA-uid', 'ALFA', 'some-room', 'by callsign', '<marti><dest callsign="CHARLIE"/></marti>');
  send('ALFA', 'chat:marti-CHARLIE', byCallsign.uid, byCallsign.xml);
  await sync();
  send('ALFA', 'marker:marti-DELTA', 'for-delta', markerXml('for-delta', '<marti><dest callsign="DELTA"/></marti>'));
  await sync();
  (await connect('DELTA')).send(pliXml('DELTA-uid', 'DELTA', 'Blue'));
  await sync();

  const table: Table = {};
  for (const [name, peer] of peers) {
    table[name] = [...new Set(peer.uids().filter((uid) => !barriers.has(uid)).map((uid) => names.get(uid) ?? `other:${uid}`))].sort();
  }
  for (const peer of peers.values()) await peer.close();
  return table;
}

/** What takd's hub delivers (tak-server-api.md §1). */
const EXPECTED: Table = {
  ALFA: ['pli:BRAVO', 'pli:CHARLIE', 'pli:DELTA'],
  BRAVO: ['chat:direct-BRAVO-uid', 'chat:group-BRAVO-CHARLIE', 'marker', 'pli:ALFA', 'pli:CHARLIE', 'pli:DELTA'],
  // CHARLIE joined after the marker: it came with the SA replay.
  CHARLIE: ['chat:group-BRAVO-CHARLIE', 'chat:marti-CHARLIE', 'chat:team-Cyan', 'marker', 'pli:ALFA', 'pli:BRAVO', 'pli:DELTA'],
  // DELTA: the SA replay and the marker held for it.
  DELTA: ['marker', 'marker:marti-DELTA', 'pli:ALFA', 'pli:BRAVO', 'pli:CHARLIE'],
};

/** Where taky delivers otherwise, and why (a delivery takd makes that taky does not). */
const TAKY_DIFFERS: { client: string; item: string; why: string }[] = [
  { client: 'BRAVO', item: 'chat:group-BRAVO-CHARLIE', why: 'taky#70: taky routes a group chat to the room id as if it were a uid; the members in chatgrp get nothing' },
  { client: 'CHARLIE', item: 'chat:group-BRAVO-CHARLIE', why: 'taky#70, as for BRAVO' },
  { client: 'CHARLIE', item: 'chat:marti-CHARLIE', why: 'taky routes a GeoChat by its room id only and ignores <marti><dest callsign> (ATAK/WinTAK address by callsign through a server)' },
  { client: 'DELTA', item: 'marker:marti-DELTA', why: 'taky has no mailbox: an event for a callsign not connected is lost' },
];

describe('takd hub and taky, the same scenario', { skip }, () => {
  it('deliver the same, except where taky is known wrong', async () => {
    const taky = await startTaky();
    cleanups.push(() => taky.stop());
    const takyPort = taky.port;
    const takyTable = await scenario(`tcp://127.0.0.1:${takyPort}`);

    const takd = new TakdProcess();
    cleanups.push(() => takd.cleanup());
    const port = await freePort();
    takd.writeConfig(`[pli]\nenabled = no\n[output.phones]\nurl = tcp+listen://127.0.0.1:${port}\nhello = no\n`);
    takd.start();
    await takd.waitForState('output.phones', 'connected');
    const takdTable = await scenario(`tcp://127.0.0.1:${port}`);

    assert.deepEqual(takdTable, EXPECTED, 'takd delivers as tak-server-api.md §1 says');
    const expectedTaky: Table = Object.fromEntries(Object.entries(EXPECTED).map(([client, items]) => [client, items.filter((item) => !TAKY_DIFFERS.some((d) => d.client === client && d.item === item))]));
    assert.deepEqual(takyTable, expectedTaky, `taky differs only as TAKY_DIFFERS says; taky delivered ${JSON.stringify(takyTable)}`);
  });
});
