// CoT times: ISO-8601 UTC with a trailing Z, e.g. 2024-05-01T12:00:00.047Z.
// Parsing follows commoncommo: the Z is required (no numeric offsets), any number of
// fractional digits, only the first three kept (milliseconds). Writing always gives
// three fractional digits, which is what Date.prototype.toISOString() produces.

const DIGIT_0 = 48;

function digits(s: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const d = s.charCodeAt(i) - DIGIT_0;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/**
 * Parsed per second ("YYYY-MM-DDThh:mm:ss" → epoch ms of that second), two slots: the
 * events of a stream mostly share their time's second, and their stale's.
 */
const secondText = ['', ''];
const secondMs = [NaN, NaN];
let nextSecondSlot = 0;

/** The last time parsed and its value: an event's start is most often its time, to the digit. */
let lastText = '';
let lastMs = NaN;

/** Epoch milliseconds of a CoT time string, or NaN when it is not one. */
export function parseCotTime(s: string): number {
  if (s === lastText) return lastMs;
  const ms = parseUncached(s);
  lastText = s;
  lastMs = ms;
  return ms;
}

function parseUncached(s: string): number {
  const n = s.length;
  if (n < 20 || s.charCodeAt(n - 1) !== 90 /* Z */) return NaN;
  let second: number;
  if (s.startsWith(secondText[0] as string) && secondText[0] !== '') second = secondMs[0] as number;
  else if (s.startsWith(secondText[1] as string) && secondText[1] !== '') second = secondMs[1] as number;
  else {
    second = parseSecond(s);
    if (Number.isNaN(second)) return NaN;
    secondText[nextSecondSlot] = s.slice(0, 19);
    secondMs[nextSecondSlot] = second;
    nextSecondSlot ^= 1;
  }
  if (n === 20) return second;
  // ".f…Z": at least one digit after the dot; only the first three are kept.
  if (s.charCodeAt(19) !== 46 /* . */ || n < 22) return NaN;
  const fractionDigits = n - 21;
  const kept = Math.min(fractionDigits, 3);
  let millis = digits(s, 20, kept);
  if (millis < 0 || (fractionDigits > 3 && digits(s, 23, fractionDigits - 3) < 0)) return NaN;
  if (kept === 1) millis *= 100;
  else if (kept === 2) millis *= 10;
  return second + millis;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Epoch ms of the "YYYY-MM-DDThh:mm:ss" that starts s, or NaN. */
function parseSecond(s: string): number {
  if (s[4] !== '-' || s[7] !== '-' || s[10] !== 'T' || s[13] !== ':' || s[16] !== ':') return NaN;
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1) return NaN;
  // 31 February is not a valid CoT time (Date.UTC would roll it into March).
  if (day > (month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] as number))) return NaN;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return NaN;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

// toISOString writes four-digit years only from 0000 to 9999.
const MIN_TIME = -62167219200000; // 0000-01-01T00:00:00.000Z
const MAX_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** Per-second prefix cache ("YYYY-MM-DDThh:mm:ss"): two slots, for time/start and stale. */
const prefixSecond = [NaN, NaN];
const prefixText = ['', ''];
let nextSlot = 0;
/** ".000Z" … ".999Z": one concatenation per time instead of four. */
const MILLIS_SUFFIX = Array.from({ length: 1000 }, (_, ms) => `.${String(ms).padStart(3, '0')}Z`);
/** The last result: time and start are usually the same instant. */
let lastFormattedMs = NaN;
let lastFormattedText = '';

/** CoT time string (always with milliseconds and Z) for epoch milliseconds. */
export function formatCotTime(ms: number): string {
  if (ms === lastFormattedMs) return lastFormattedText;
  if (!(ms >= MIN_TIME && ms <= MAX_TIME)) throw new RangeError(`not a CoT time: ${ms}`);
  const second = Math.floor(ms / 1000);
  const millis = ms - second * 1000;
  let slot = prefixSecond[0] === second ? 0 : prefixSecond[1] === second ? 1 : -1;
  if (slot === -1) {
    slot = nextSlot;
    nextSlot ^= 1;
    prefixSecond[slot] = second;
    prefixText[slot] = new Date(second * 1000).toISOString().slice(0, 19);
  }
  const text = prefixText[slot] + MILLIS_SUFFIX[Math.floor(millis)];
  lastFormattedMs = ms;
  lastFormattedText = text;
  return text;
}

/** True when ms formats as a four-digit-year CoT time. */
export function isCotTimeInRange(ms: number): boolean {
  return ms >= MIN_TIME && ms <= MAX_TIME;
}
