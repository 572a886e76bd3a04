// Writes the committed seed corpora (test/fuzz/corpus/<target>/) from the project's own
// fixtures and generators: real frames each decoder is tested with, a few KB per target.
// Run after changing a fixture:  npx tsc -p . && node build/test/fuzz/make-seeds.js
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeProtoMesh, encodeProtoStream } from '../../daemon/codec/proto/index.js';
import { XmlEventDecoder } from '../../daemon/codec/xml/decode.js';
import { eventToJson } from '../../daemon/codec/json.js';
import { kissEncode } from '../../hal/framers/kiss.js';
import { encodeAx25 } from '../../hal/drivers/kiss-aprs/ax25.js';
import { SPEC_PACKETS } from '../../hal/drivers/kiss-aprs/fixtures.js';
import { EXAMPLE_A1, EXAMPLE_A2, EXAMPLE_B, EXAMPLE_C, EXAMPLE_D, SPEC_STREAM } from '../../hal/drivers/meshtastic/fixtures.js';
import { gga, gll, gns, gsa, rmc } from '../../hal/drivers/nmea-gnss/fixtures.js';
import { sentence } from '../../hal/drivers/sim/nmea-writer.js';
import { atakPliCorpus } from '../support/generators.js';
import { VECTOR_STREAM_HEX, VECTOR_XML } from '../support/proto-fixtures.js';
import { corpusDir, repoRoot } from './runner.js';
import forge from 'node-forge';

/** A CSR for CN=fuzz with the target's entries (PEM, bare base64, DER), a Basic header, an Accept header. */
function enrollmentSeeds(): Buffer[] {
  const keys = forge.pki.rsa.generateKeyPair({ bits: 2048, e: 0x10001 });
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = keys.publicKey;
  csr.setSubject([{ shortName: 'CN', value: 'fuzz' }, { shortName: 'O', value: 'takd' }, { shortName: 'OU', value: 'fuzz' }]);
  csr.sign(keys.privateKey, forge.md.sha256.create());
  const pem = forge.pki.certificationRequestToPem(csr);
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificationRequestToAsn1(csr)).getBytes(), 'binary');
  return [
    Buffer.concat([Buffer.from([0]), Buffer.from(pem)]),
    Buffer.concat([Buffer.from([3]), Buffer.from(der.toString('base64'))]),
    Buffer.concat([Buffer.from([6]), der]),
    Buffer.from(`\x01Basic ${Buffer.from('alice:token-123').toString('base64')}`),
    Buffer.from('\x02application/xml;q=0.9, */*;q=0.1'),
  ];
}

const WHOLE = Buffer.from([0xff]); // chunks(): the first byte 0xC0+ means "one chunk"
const BY7 = Buffer.from([0x06]); // 7-byte chunks
const xml = new XmlEventDecoder();
const pli = atakPliCorpus(4, 7);
const bare = (s: string): string => s.slice(s.indexOf('<event'));
const BOUNDARY = '----takdSeed7MA4YWxkTrZu0gW';
const MULTIPART_BODY =
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="assetfile"; filename="pkg.zip"\r\nContent-Type: application/zip\r\n\r\nPK\x03\x04zipbytes\r\n` +
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n--${BOUNDARY}--\r\n`;
const seeds: Record<string, Buffer[]> = {
  'cot-xml-stream': [
    Buffer.concat([WHOLE, Buffer.from(pli.join('\n'))]),
    Buffer.concat([BY7, Buffer.from(pli.slice(0, 2).join(''))]),
    Buffer.concat([WHOLE, Buffer.from(VECTOR_XML)]),
  ],
  'xml-differential': [
    Buffer.concat([Buffer.from([0]), Buffer.from(pli[0]!, 'latin1')]),
    Buffer.concat([Buffer.from([1]), Buffer.from(bare(pli[1]!))]),
    Buffer.concat([Buffer.from([1]), Buffer.from(VECTOR_XML)]),
  ],
  'tak-stream': [
    Buffer.concat([WHOLE, ...pli.slice(0, 3).map((x) => encodeProtoStream(xml.decode(x)))]),
    Buffer.concat([BY7, Buffer.from(VECTOR_STREAM_HEX.replace(/ /g, ''), 'hex')]),
  ],
  'mesh-datagram': [
    encodeProtoMesh(xml.decode(pli[0]!)),
    encodeProtoMesh(xml.decode(VECTOR_XML)),
    Buffer.from(pli[2]!),
  ],
  nmea: [
    Buffer.concat([WHOLE, Buffer.from([
      sentence(gga({ quality: 1 })),
      sentence(rmc({ status: 'A', modeIndicator: 'A' })),
      sentence(gsa({ mode: 'A', used: ['07', '12', '33'] })),
      sentence(gns({ modes: 'AAN' })),
      sentence(gll({ status: 'A', modeIndicator: 'A' })),
      '$GNGSA,A,3,07,12,33,,,,,,,,,,1.05,0.64,0.83,3*0A\r\n',
    ].join(''))]),
    Buffer.concat([BY7, Buffer.from(sentence(gga({ quality: 0, hasPosition: false })) + sentence(rmc({ status: 'V', hasPosition: false })))]),
  ],
  ais: [
    Buffer.concat([WHOLE, Buffer.from([
      '!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A',
      '!AIVDM,1,1,,A,403OviQuMGCqWrRO9>E6fE700@GO,0*4D',
      '!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C',
      '!AIVDM,2,2,1,A,88888888880,2*25',
      '!AIVDM,1,1,,A,91b77=h3h00nHt0Q3r@@07000<0b,0*69',
      '!AIVDM,1,1,,A,B52K>;h00Fc>jpUlNV@ikwpUoP06,0*4C',
      '!AIVDM,1,1,,B,C5N3SRgPEnJGEBT>NhWAwwo862PaLELTBJ:V00000000S0D:R220,0*0B',
    ].join('\r\n') + '\r\n')]),
  ],
  'kiss-aprs': [
    Buffer.concat([WHOLE, ...SPEC_PACKETS.map(([to, from, info]) => kissEncode(encodeAx25(to, from, ['WIDE1-1'], Buffer.from(info, 'latin1'))))]),
  ],
  meshtastic: [
    Buffer.concat([WHOLE, SPEC_STREAM]),
    Buffer.concat([BY7, EXAMPLE_A1, EXAMPLE_A2, EXAMPLE_B]),
    Buffer.concat([WHOLE, EXAMPLE_C, EXAMPLE_D]),
  ],
  'marti-multipart': [
    Buffer.concat([WHOLE, Buffer.from(`multipart/form-data; boundary=${BOUNDARY}\n${MULTIPART_BODY}`, 'latin1')]),
    Buffer.concat([BY7, Buffer.from(`multipart/form-data; boundary="${BOUNDARY}"\n${MULTIPART_BODY}`, 'latin1')]),
  ],
  'marti-target': ['/Marti/sync/content?hash=9f86d081884c7d659a2feaa0c55ad015&filename=pkg%20one.zip', '/Marti/sync/search?keywords=missionpackage&tool=public', '/Marti/api/version/config'].map((t) => Buffer.from(t)),
  'console-requests': [
    Buffer.concat([Buffer.from([0]), Buffer.from('{"lat":48.1,"lon":11.5,"callsign":"M-1","sidc":"SFGPUCI----","remarks":"a<b","stale":60}')]),
    Buffer.concat([Buffer.from([1]), Buffer.from('{"text":"hi","room":"All Chat Rooms","callsign":"ALPHA"}')]),
    Buffer.concat([Buffer.from([2]), Buffer.from(JSON.stringify(eventToJson(xml.decode(pli[0]!))))]),
    Buffer.concat([Buffer.from([3]), Buffer.from('11.1,48.0,11.9,48.3')]),
  ],
  'mqtt-payload': [encodeProtoStream(xml.decode(pli[0]!)), encodeProtoMesh(xml.decode(pli[1]!)), Buffer.from(pli[2]!)],
  'wss-frames': [
    Buffer.concat([WHOLE, ...pli.slice(0, 3).map((x) => encodeProtoStream(xml.decode(x)))]),
    Buffer.concat([BY7, encodeProtoStream(xml.decode(VECTOR_XML))]),
  ],
  enrollment: enrollmentSeeds(),
  ini: ['demo.ini', 'pi-usb-gps-mesh.ini', 'pytak-gateway.ini', 'ais-aprs-station.ini'].map((f) => readFileSync(join(repoRoot, 'config/examples', f))),
};

for (const [target, inputs] of Object.entries(seeds)) {
  const dir = corpusDir(target);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  inputs.forEach((input, i) => writeFileSync(join(dir, `seed-${String(i + 1).padStart(2, '0')}`), input));
  console.log(`${target}: ${inputs.length} seeds, ${inputs.reduce((a, b) => a + b.length, 0)} bytes`);
}
