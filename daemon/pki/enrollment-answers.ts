/**
 * The bodies of the enrollment answers (tak-server-api.md §4): tls/config's XML, signClient/v2
 * as JSON or XML by Accept, and Basic credentials from the Authorization header. Pure
 * functions: the fuzz target and the server share them.
 */
import type { NameEntry } from './x509.js';

function xmlEscape(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** `certificateConfig` in TAK Server's namespace, with the CA's name entries. */
export function tlsConfigXml(entries: readonly NameEntry[], validityDays: number): string {
  const names = entries.map((e) => `<nameEntry name="${xmlEscape(e.name)}" value="${xmlEscape(e.value)}"/>`).join('');
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<ns2:certificateConfig xmlns="http://bbn.com/marti/xml/config" xmlns:ns2="com.bbn.marti.config" validityDays="${validityDays}"><nameEntries>${names}</nameEntries></ns2:certificateConfig>\n`;
}

export type AnswerFormat = 'json' | 'xml';

/** signClient/v2's format by Accept: none, any or JSON → JSON; XML → XML; anything else: undefined (400). */
export function answerFormat(accept: string | undefined): AnswerFormat | undefined {
  if (accept === undefined || accept.trim() === '') return 'json';
  const types = accept.split(',').map((part) => part.split(';')[0].trim().toLowerCase());
  for (const type of types) {
    if (type === 'application/json' || type === '*/*' || type === 'application/*') return 'json';
    if (type === 'application/xml' || type === 'text/xml') return 'xml';
  }
  return undefined;
}

/** The signed certificate and the chain, base64 DER without armour. */
export function signedAnswer(format: AnswerFormat, signed: Buffer, chain: readonly Buffer[]): string {
  if (format === 'json') {
    const body: Record<string, string> = { signedCert: signed.toString('base64') };
    chain.forEach((ca, i) => (body[`ca${i}`] = ca.toString('base64')));
    return JSON.stringify(body);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<enrollment><signedCert>${signed.toString('base64')}</signedCert>${chain.map((ca) => `<ca>${ca.toString('base64')}</ca>`).join('')}</enrollment>\n`;
}

export interface BasicCredentials {
  user: string;
  password: string;
}

/** `Basic base64(user:password)` → credentials; undefined for anything else (bounded, no control characters). */
export function basicCredentials(header: string | undefined): BasicCredentials | undefined {
  if (header === undefined || header.length > 1024) return undefined;
  const match = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  const user = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  if (/[\x00-\x1f\x7f]/.test(decoded) || user.length > 128 || password.length > 256) return undefined;
  return { user, password };
}

/** A clientUid fit for a SAN and a file name: printable ASCII without spaces, at most 128. */
export function cleanClientUid(text: string | undefined): string | undefined {
  if (text === undefined || text === '') return undefined;
  return /^[\x21-\x7e]{1,128}$/.test(text) ? text : undefined;
}
