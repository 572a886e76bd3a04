// AIS code tables used for CoT: navigation status words and the ship-type category → CoT
// type. Wording: ITU-R M.1371's navigational status names, as summarised in spec §3.5.

const NAVIGATION_STATUS = [
  'under way using engine',
  'at anchor',
  'not under command',
  'restricted manoeuvrability',
  'constrained by draught',
  'moored',
  'aground',
  'engaged in fishing',
  'under way sailing',
  'reserved (HSC)',
  'reserved (WIG)',
  'towing astern',
  'pushing ahead / towing alongside',
  'reserved',
  'AIS-SART active',
  'undefined',
];

export function navigationStatusText(status: number): string {
  return NAVIGATION_STATUS[status] ?? 'undefined';
}

/** Ship-type categories (first digit, or the exact value) → words for remarks. */
export function shipTypeText(shiptype: number): string | undefined {
  const exact: Record<number, string> = {
    30: 'fishing', 31: 'towing', 32: 'towing (large)', 33: 'dredging/underwater ops', 34: 'diving ops',
    35: 'military ops', 36: 'sailing', 37: 'pleasure craft', 50: 'pilot', 51: 'search and rescue', 52: 'tug',
    53: 'port tender', 54: 'anti-pollution', 55: 'law enforcement', 58: 'medical transport',
  };
  if (exact[shiptype] !== undefined) return exact[shiptype];
  const byTens: Record<number, string> = { 2: 'wing in ground', 4: 'high-speed craft', 6: 'passenger', 7: 'cargo', 8: 'tanker', 9: 'other' };
  return shiptype >= 20 && shiptype < 100 ? byTens[Math.floor(shiptype / 10)] : undefined;
}

/**
 * The CoT type function (what follows `a-<affiliation>-`) for a ship type, MIL-STD-2525
 * surface track functions: fishing, leisure, law enforcement, tug, passenger, cargo, tanker.
 * Undefined when the category does not narrow it (the configured default applies).
 */
export function shipTypeFunction(shiptype: number): string | undefined {
  if (shiptype === 30) return 'S-X-F';
  if (shiptype === 36 || shiptype === 37) return 'S-X-R';
  if (shiptype === 51 || shiptype === 55) return 'S-X-L';
  if (shiptype === 31 || shiptype === 32 || shiptype === 52) return 'S-X-M-T';
  const tens = Math.floor(shiptype / 10);
  if (tens === 6) return 'S-X-M-P';
  if (tens === 7) return 'S-X-M-C';
  if (tens === 8) return 'S-X-M-O';
  return undefined;
}

/** MMSI classes that matter for display (spec §3.5), by leading digits. */
export function mmsiClass(mmsi: number): 'ship' | 'sar-aircraft' | 'aid-to-navigation' | 'distress' | 'other' {
  const digits = String(mmsi).padStart(9, '0');
  if (digits.startsWith('111')) return 'sar-aircraft';
  if (digits.startsWith('99')) return 'aid-to-navigation';
  if (digits.startsWith('970') || digits.startsWith('972') || digits.startsWith('974')) return 'distress';
  if (digits[0] >= '2' && digits[0] <= '7') return 'ship';
  return 'other';
}
