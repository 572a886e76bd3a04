/**
 * QR codes of enrollment links: the qrcode package's encoder and its SVG and terminal
 * renderers (imported one by one: its index also brings a PNG codec and canvas code), and a
 * PNG written here from the module matrix with node:zlib (a grey-scale image is a header,
 * deflated rows and CRCs; no need for a PNG library in the single binary).
 */
import { deflateSync } from 'node:zlib';
import { join } from 'node:path';
import { crc32 } from './crc32.js';
import { PRIVATE_MODE, writeFileAtomic } from './files.js';

/** `tak://com.atakmap.app/enroll?host=…&username=…&token=…`, what ATAK and iTAK scan. */
export function enrollmentLink(host: string, username: string, token: string): string {
  const query = new URLSearchParams({ host, username, token });
  return `tak://com.atakmap.app/enroll?${query.toString()}`;
}

interface QrData {
  modules: { size: number; data: Uint8Array; get(row: number, col: number): number };
}

interface QrParts {
  create(text: string, options: { errorCorrectionLevel: string }): QrData;
  svg(data: QrData, options: { margin: number }): string;
  terminal(data: QrData, options: object): string;
}

async function qrParts(): Promise<QrParts> {
  const [core, svg, terminal] = await Promise.all([import('qrcode/lib/core/qrcode.js'), import('qrcode/lib/renderer/svg-tag.js'), import('qrcode/lib/renderer/terminal/terminal-small.js')]);
  return { create: core.default.create, svg: svg.default.render, terminal: terminal.default.render } as QrParts;
}

async function encode(text: string): Promise<{ parts: QrParts; data: QrData }> {
  const parts = await qrParts();
  return { parts, data: parts.create(text, { errorCorrectionLevel: 'M' }) };
}

export async function terminalQr(text: string): Promise<string> {
  const { parts, data } = await encode(text);
  const qr = parts.terminal(data, {});
  // The last row ends in colour codes, not a newline: what follows starts on a line of its own.
  return qr.endsWith('\n') ? qr : `${qr}\n`;
}

function chunk(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])), 0);
  return Buffer.concat([head, body, crc]);
}

/** A black-on-white 8-bit grey PNG of the matrix, `scale` pixels a module, `margin` modules of quiet zone. */
export function qrPng(data: QrData, scale = 8, margin = 4): Buffer {
  const size = data.modules.size;
  const side = (size + margin * 2) * scale;
  const rows = Buffer.alloc(side * (side + 1), 0xff);
  for (let y = 0; y < side; y++) {
    rows[y * (side + 1)] = 0; // filter: none
    const my = Math.floor(y / scale) - margin;
    for (let x = 0; x < side; x++) {
      const mx = Math.floor(x / scale) - margin;
      if (my >= 0 && my < size && mx >= 0 && mx < size && data.modules.get(my, mx)) rows[y * (side + 1) + 1 + x] = 0;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // grey
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

/** Writes NAME.png and NAME.svg into `dir` (0600: the link holds the token); returns their paths. */
export async function writeQrFiles(dir: string, name: string, text: string): Promise<{ png: string; svg: string }> {
  const { parts, data } = await encode(text);
  const png = join(dir, `${name}.png`);
  const svg = join(dir, `${name}.svg`);
  writeFileAtomic(png, qrPng(data), PRIVATE_MODE);
  writeFileAtomic(svg, parts.svg(data, { margin: 4 }), PRIVATE_MODE);
  return { png, svg };
}
