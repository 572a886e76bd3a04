/**
 * QR codes of enrollment links (the qrcode package, loaded on demand): text for the
 * terminal, and PNG and SVG files to print or send.
 */
import { join } from 'node:path';
import { PRIVATE_MODE, writeFileAtomic } from './files.js';

/** `tak://com.atakmap.app/enroll?host=…&username=…&token=…`, what ATAK and iTAK scan. */
export function enrollmentLink(host: string, username: string, token: string): string {
  const query = new URLSearchParams({ host, username, token });
  return `tak://com.atakmap.app/enroll?${query.toString()}`;
}

export async function terminalQr(text: string): Promise<string> {
  const qrcode = (await import('qrcode')).default;
  const qr = await qrcode.toString(text, { type: 'terminal', small: true, errorCorrectionLevel: 'M' });
  // The last row ends in colour codes, not a newline: what follows starts on a line of its own.
  return qr.endsWith('\n') ? qr : `${qr}\n`;
}

/** Writes NAME.png and NAME.svg into `dir` (0600: the link holds the token); returns their paths. */
export async function writeQrFiles(dir: string, name: string, text: string): Promise<{ png: string; svg: string }> {
  const qrcode = (await import('qrcode')).default;
  const png = join(dir, `${name}.png`);
  const svg = join(dir, `${name}.svg`);
  writeFileAtomic(png, await qrcode.toBuffer(text, { type: 'png', errorCorrectionLevel: 'M', margin: 4, scale: 8 }), PRIVATE_MODE);
  writeFileAtomic(svg, await qrcode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 }), PRIVATE_MODE);
  return { png, svg };
}
