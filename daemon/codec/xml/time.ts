// CoT times: ISO-8601 UTC with a trailing Z, e.g. 2024-05-01T12:00:00.047Z.
// Parsing follows commoncommo: the Z is required (no numeric offsets), any number of
// fractional digits, only the first three kept (milliseconds). Writing always gives
// three fractional digits, which is what Date.prototype.toISOString() produces.

const DIGIT_0 = 48;

/** The number written by `count` digits at s[from], or -1 when one of them is not a digit. */
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
 * Parsed per minute ("YYYY-MM-DDThh:mm" → epoch ms of that minute, kept as one number
 * YYYYMMDDhhmm), two slots: the events of a stream mostly share their time's minute, and
 * their stale's. Reading the 12 digits is cheap; Date.UTC and the date checks are not.
 */
const minuteKey = [-1, -1];
const minuteMs = [NaN, NaN];
let nextMinuteSlot = 0;

/** Epoch milliseconds of a CoT time string, or NaN when it is not one. */
export function parseCotTime(s: string): number {
  return parseCotTimeAt(s, 0, s.length);
}

/** parseCotTime of s[from, to), read in place (no substring). */
export function parseCotTimeAt(s: string, from: number, to: number): number {
  const n = to - from;
  if (n < 20 || s.charCodeAt(to - 1) !== 90 /* Z */) return NaN;
  if (
    s.charCodeAt(from + 4) !== 45 /* - */ ||
    s.charCodeAt(from + 7) !== 45 ||
    s.charCodeAt(from + 10) !== 84 /* T */ ||
    s.charCodeAt(from + 13) !== 58 /* : */ ||
    s.charCodeAt(from + 16) !== 58
  ) {
    return NaN;
  }
  const year = digits(s, from, 4);
  const month = digits(s, from + 5, 2);
  const day = digits(s, from + 8, 2);
  const hour = digits(s, from + 11, 2);
  const minute = digits(s, from + 14, 2);
  const second = digits(s, from + 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || second > 60) return NaN;
  const key = ((year * 100 + month) * 100 + day) * 10000 + hour * 100 + minute;
  let minuteStart: number;
  if (minuteKey[0] === key) minuteStart = minuteMs[0] as number;
  else if (minuteKey[1] === key) minuteStart = minuteMs[1] as number;
  else {
    minuteStart = minuteOf(year, month, day, hour, minute);
    if (Number.isNaN(minuteStart)) return NaN;
    minuteKey[nextMinuteSlot] = key;
    minuteMs[nextMinuteSlot] = minuteStart;
    nextMinuteSlot ^= 1;
  }
  const whole = minuteStart + second * 1000;
  if (n === 20) return whole;
  // ".f…Z": at least one digit after the dot; only the first three are kept.
  if (s.charCodeAt(from + 19) !== 46 /* . */ || n < 22) return NaN;
  const fractionDigits = n - 21;
  const kept = Math.min(fractionDigits, 3);
  let millis = digits(s, from + 20, kept);
  if (millis < 0 || (fractionDigits > 3 && digits(s, from + 23, fractionDigits - 3) < 0)) return NaN;
  if (kept === 1) millis *= 100;
  else if (kept === 2) millis *= 10;
  return whole + millis;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Epoch ms of the start of that minute, or NaN when the date or time does not exist. */
function minuteOf(year: number, month: number, day: number, hour: number, minute: number): number {
  if (month < 1 || month > 12 || day < 1) return NaN;
  // 31 February is not a valid CoT time (Date.UTC would roll it into March).
  if (day > (month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] as number))) return NaN;
  if (hour > 23 || minute > 59) return NaN;
  return Date.UTC(year, month - 1, day, hour, minute, 0);
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
