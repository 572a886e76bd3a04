// Fuzz: random and mutated input at every door a transport has — URLs, control-event
// details, a listener's TCP stream (XML and v1), a client's stream, UDP datagrams.
// Bounded by iteration count and a time cap; asserts nothing escapes, the link survives
// and a good event after the noise still arrives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import type { CotEvent } from '../daemon/codec/event.js';
import { seededRandom } from './support/proto-fixtures.js';
import { encodeProtoMesh, encodeProtoStream } from '../daemon/codec/proto/index.js';
import { DEFAULT_MAX_FRAME_BYTES } from '../daemon/codec/proto/deframer.js';
import { encodeXml } from '../daemon/codec/xml/encode.js';
import { advertisedVersions, protocolRequestEvent, requestedVersion, responseStatus } from '../daemon/transports/control-events.js';
import { TransportConfigError } from '../daemon/transports/index.js';
import { createTransport } from './support/transports.js';
import type { StreamListener } from '../daemon/transports/stream-listener.js';
import type { UdpTransport } from '../daemon/transports/udp.js';
import { parseTransportUrl } from '../daemon/transports/url.js';
import { pli, RawServer } from './support/transport-fixtures.js';
import { waitUntil } from './support/wait.js';

const random = seededRandom(20261121);
const int = (n: number): number => Math.floor(random() * n);

function randomBytes(max: number): Buffer {
  const bytes = Buffer.alloc(int(max));
  for (let i = 0; i < bytes.length; i += 1) bytes[i] = int(256);
  return bytes;
}

/** Flips, inserts, deletes and truncates a few bytes of a valid message. */
function mutate(valid: Buffer): Buffer {
  let bytes = Buffer.from(valid);
  for (let k = 1 + int(4); k > 0; k -= 1) {
    const at = int(bytes.length + 1);
    switch (int(4)) {
      case 0:
        if (at < bytes.length) bytes[at] = int(256);
        break;
      case 1:
        bytes = Buffer.concat([bytes.subarray(0, at), randomBytes(8), bytes.subarray(at)]);
        break;
      case 2:
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1 + int(16))]);
        break;
      default:
        bytes = bytes.subarray(0, at);
    }
  }
  return bytes;
}

function within(limitMs: number): () => boolean {
  const deadline = Date.now() + limitMs;
  return () => Date.now() < deadline;
}

test('URL parsing: random and mutated URLs only ever throw TransportConfigError', () => {
  const valid = ['tcp://tak.example.org:8087', 'tls+wo://[::1]:8089', 'udp://239.2.3.1:6969?ttl=2&interface=eth0', 'udp+broadcast://10.0.0.255', 'tcp+listen://0.0.0.0', 'log://stdout', 'file:///tmp/x'];
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789:/[]?&=+.%-_ @#\u00e9\u0000';
  const going = within(5_000);
  let parsed = 0;
  for (let i = 0; i < 20_000 && going(); i += 1) {
    const url =
      i % 2 === 0
        ? mutate(Buffer.from(valid[i % valid.length] as string)).toString('latin1')
        : Array.from({ length: int(40) }, () => alphabet[int(alphabet.length)]).join('');
    try {
      const spec = parseTransportUrl(url);
      parsed += 1;
      if ('port' in spec) assert.ok(spec.port >= 0 && spec.port <= 65535, url);
    } catch (error) {
      assert.ok(error instanceof TransportConfigError, `${JSON.stringify(url)}: ${String(error)}`);
      assert.equal(error.key.startsWith('url'), true);
    }
  }
  assert.ok(parsed > 0, 'some mutations are still valid URLs');
});

test('control-event details: random fragments never throw and give sane values', () => {
  const base: CotEvent = { ...pli(0), type: 't-x-takp-v' };
  const valid = Buffer.from('<TakControl><TakProtocolSupport version="1"/><TakRequest version="1"/><TakResponse status="true"/></TakControl>');
  const going = within(3_000);
  for (let i = 0; i < 20_000 && going(); i += 1) {
    const xmlDetail = (i % 2 === 0 ? mutate(valid) : randomBytes(200)).toString('latin1');
    const event = { ...base, xmlDetail };
    for (const v of advertisedVersions(event)) assert.ok(Number.isInteger(v) && v >= 0);
    const requested = requestedVersion(event);
    assert.ok(requested === undefined || Number.isInteger(requested));
    assert.ok([true, false, undefined].includes(responseStatus(event)));
  }
});

/** Reads the listener's v1 offer and asks for v1, as a client would (tak-protocol.md §4.1). */
async function negotiateV1(socket: Socket): Promise<void> {
  let text = '';
  const offer = await new Promise<string>((resolve) => {
    const onData = (chunk: Buffer): void => {
      text += chunk.toString('latin1');
      const match = /uid="([^"]+)"[^>]*type="t-x-takp-v"/.exec(text);
      if (match && text.includes('</event>')) {
        socket.removeListener('data', onData);
        resolve(match[1] as string);
      }
    };
    socket.on('data', onData);
  });
  socket.write(encodeXml(protocolRequestEvent(offer, 1)));
  await new Promise<void>((resolve) => {
    let answer = '';
    const onData = (chunk: Buffer): void => {
      answer += chunk.toString('latin1');
      if (answer.includes('t-x-takp-r') && answer.includes('</event>')) {
        socket.removeListener('data', onData);
        resolve();
      }
    };
    socket.on('data', onData);
  });
}

for (const proto of [0, 1] as const) {
  test(`a listener's TCP stream (TAK protocol ${proto}): noise, mutated events, then a good event`, async () => {
    const received: CotEvent[] = [];
    const listener = createTransport('tcp+listen://127.0.0.1:0', { proto, onEvent: (event) => received.push(event) }) as StreamListener;
    listener.start();
    await listener.listening();
    const socket = connect(listener.port as number, '127.0.0.1');
    try {
      await new Promise((resolve) => socket.once('connect', resolve));
      if (proto === 1) await negotiateV1(socket);
      const encode = proto === 0 ? encodeXml : encodeProtoStream;
      const valid = encode(pli(1));
      const going = within(8_000);
      let sent = 0;
      for (let i = 0; i < 1_500 && going(); i += 1) {
        const noise = i % 3 === 0 ? randomBytes(300) : mutate(valid);
        if (!socket.write(noise)) await new Promise((resolve) => socket.once('drain', resolve));
        sent += 1;
      }
      // Whatever half-frame the noise left open is closed by filler, then good events follow.
      // XML: an end tag. v1: bytes that are not 0xBF, more than the largest frame — a noise
      // header with a plausible length waits for that many payload bytes before it is found out.
      const filler = proto === 0 ? Buffer.from('</event>') : Buffer.alloc(DEFAULT_MAX_FRAME_BYTES + 16, 0x20);
      if (!socket.write(filler)) await new Promise((resolve) => socket.once('drain', resolve));
      for (let i = 0; i < 3; i += 1) socket.write(encode({ ...pli(2), uid: 'after-the-noise' }));
      await waitUntil(() => received.some((e) => e.uid === 'after-the-noise'), 'the good event after the noise');
      assert.equal(listener.clientCount, 1, 'still connected');
      const { decodeErrors } = listener.status().counters;
      assert.ok(decodeErrors > 0 && decodeErrors <= sent * 8, `decode errors counted: ${decodeErrors} for ${sent} noise writes`);
      assert.ok(process.memoryUsage().heapUsed < 512 * 2 ** 20, 'memory stays bounded');
    } finally {
      socket.destroy();
      await listener.close();
    }
  });
}

test('a client fed noise by its server keeps its connection', async () => {
  const server = new RawServer();
  const port = await server.listen();
  const received: CotEvent[] = [];
  server.onConnection = (socket) => {
    const going = within(5_000);
    for (let i = 0; i < 1_000 && going(); i += 1) socket.write(i % 2 === 0 ? randomBytes(200) : mutate(encodeXml(pli(i))));
    socket.write(Buffer.concat([Buffer.from('</event>'), encodeXml({ ...pli(3), uid: 'last' })]));
  };
  const client = createTransport(`tcp://127.0.0.1:${port}`, { onEvent: (event) => received.push(event), pingAfterMs: 0 });
  try {
    client.start();
    await waitUntil(() => received.some((e) => e.uid === 'last'), 'the good event');
    assert.equal(client.status().counters.connects, 1);
  } finally {
    await client.close();
    await server.kill();
  }
});

test('UDP: random and mutated datagrams (XML and mesh v1), then a good one', async () => {
  const received: CotEvent[] = [];
  const rx = createTransport('udp+ro://127.0.0.1:0', { onEvent: (event) => received.push(event) }) as UdpTransport;
  rx.start();
  await waitUntil(() => (rx.boundPort ?? 0) > 0, 'bound');
  const sender = createSocket('udp4');
  const send = (bytes: Buffer): Promise<void> => new Promise((resolve) => sender.send(bytes, rx.boundPort, '127.0.0.1', () => resolve()));
  try {
    const validXml = encodeXml(pli(1));
    const validMesh = encodeProtoMesh(pli(1));
    const going = within(8_000);
    let sent = 0;
    for (let i = 0; i < 2_000 && going(); i += 1) {
      await send(i % 3 === 0 ? randomBytes(400) : mutate(i % 2 === 0 ? validXml : validMesh));
      sent += 1;
      // A send completes without a trip through the event loop: let the receiver read now and
      // then, or the kernel's receive buffer overflows (a loss the test would not be about).
      if (i % 20 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await send(encodeProtoMesh({ ...pli(4), uid: 'good-datagram' }));
    await waitUntil(() => received.some((e) => e.uid === 'good-datagram'), 'the good datagram');
    const { decodeErrors, eventsReceived } = rx.status().counters;
    assert.ok(decodeErrors + eventsReceived <= sent + 1, 'each datagram counted at most once');
    assert.ok(decodeErrors > sent / 3, `most noise rejected: ${decodeErrors} of ${sent}`);
  } finally {
    sender.close();
    await rx.close();
  }
});
