// For tests of events takd builds: the numbers in <point> and <track> carry no more decimals
// than their sources resolve (7 for degrees, 2 for speed and course, 1 for metres by default).
import assert from 'node:assert/strict';

export interface DecimalLimits {
  degrees?: number;
  metres?: number;
}

function decimalPlaces(text: string): number {
  const dot = text.indexOf('.');
  return dot === -1 ? 0 : text.length - dot - 1;
}

/** The attribute's text in the first `<element …>` of the XML. */
export function attributeText(xml: string, element: string, name: string): string {
  const match = new RegExp(`<${element}\\s[^>]*?\\b${name}="([^"]*)"`).exec(xml);
  assert.ok(match !== null, `no ${element}@${name} in ${xml}`);
  return match[1];
}

/** Fails when a number in point or track has more decimals than its kind allows, or an exponent. */
export function assertNoFloatNoise(xml: string, limits: DecimalLimits = {}): void {
  const allowed: [string, string, number][] = [
    ['point', 'lat', limits.degrees ?? 7],
    ['point', 'lon', limits.degrees ?? 7],
    ['point', 'hae', limits.metres ?? 1],
    ['point', 'ce', 1],
    ['point', 'le', 1],
  ];
  if (xml.includes('<track ')) allowed.push(['track', 'speed', 2], ['track', 'course', 2]);
  for (const [element, name, decimals] of allowed) {
    const text = attributeText(xml, element, name);
    assert.match(text, /^-?\d+(\.\d+)?$/, `${element}@${name}="${text}"`);
    assert.ok(decimalPlaces(text) <= decimals, `${element}@${name}="${text}" has more than ${decimals} decimals`);
  }
}
