/**
 * QR codes of enrollment links (the qrcode package, loaded on demand): text for the
 * terminal, and PNG and SVG files to print or send.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PUBLIC_MODE, writeFileAtomic } from './files.js';

/** `tak://com.atakmap.app/enroll?host=…&username=…&token=…`, what ATAK and iTAK scan. */
export function enrollmentLink(host: string, username: string, token: string): string {
  const query = new URLSearchParams({ host, username, token });
  return `tak://com.atakmap.app/enroll?${query.toString()}`;
}

export async function terminalQr(text: string): Promise<string> {
  const qrcode = (await import('qrcode')).default;
  return qrcode.toString(text, { type: 'terminal', small: true, errorCorrectionLevel: 'M' });
}

/**
 * Writes NAME.png and NAME.svg into `dir`; returns their paths. The link holds a secret,
 * so the files are the owner's only (0600 would hide them from a web server; the directory
 * is the operator's).
 */
export async function writeQrFiles(dir: string, name: string, text: string): Promise<{ png: string; svg: string }> {
  const qrcode = (await import('qrcode')).default;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const png = join(dir, `${name}.png`);
  const svg = join(dir, `${name}.svg`);
  writeFileAtomic(png, await qrcode.toBuffer(text, { type: 'png', errorCorrectionLevel: 'M', margin: 4, scale: 8 }), PUBLIC_MODE & 0o600);
  writeFileAtomic(svg, await qrcode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 }), PUBLIC_MODE & 0o600);
  return { png, svg };
}
