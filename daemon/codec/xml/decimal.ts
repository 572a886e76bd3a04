// Numbers read in place from the source text, without a substring and Number().
//
// Only the plain form CoT senders write is read here: an optional sign, digits, and
// optionally a '.' with more digits, 15 digits at most in all. Then the digits as an
// integer m (< 10^15, exact in a double) divided by 10^k (k ≤ 15, exact too) is the
// correctly rounded value, which is what Number() gives (one IEEE division of two exact
// operands is correctly rounded). Anything else returns NaN and the caller uses Number().

const POWERS_OF_TEN = Array.from({ length: 16 }, (_, k) => 10 ** k);
const MAX_DIGITS = 15;

/** The plain decimal s[from, to) as a number; NaN when it is not one (then ask Number()). */
export function plainDecimalAt(s: string, from: number, to: number): number {
  let i = from;
  let negative = false;
  const first = s.charCodeAt(i);
  if (first === 0x2d /* - */) {
    negative = true;
    i++;
  } else if (first === 0x2b /* + */) {
    i++;
  }
  let mantissa = 0;
  let digitCount = 0;
  let fractionDigits = -1; // -1: no '.' seen yet
  for (; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      mantissa = mantissa * 10 + (c - 0x30);
      digitCount++;
      if (fractionDigits >= 0) fractionDigits++;
    } else if (c === 0x2e /* . */ && fractionDigits < 0) {
      fractionDigits = 0;
    } else {
      return NaN;
    }
  }
  // At least one digit before the dot and one after it, when there is a dot.
  if (digitCount === 0 || digitCount > MAX_DIGITS || fractionDigits === 0 || digitCount === fractionDigits) return NaN;
  const value = fractionDigits > 0 ? mantissa / (POWERS_OF_TEN[fractionDigits] as number) : mantissa;
  return negative ? -value : value;
}
