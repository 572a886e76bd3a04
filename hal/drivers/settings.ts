// Reading a driver's settings (DriverSettings) and the key types several drivers share.
// The loader has parsed each value by the key's DriverKeyType, so the readers only narrow.
import type { DriverKey, DriverKeyType, DriverSettings } from '../contract.js';

export function stringSetting(settings: DriverSettings, key: string): string | undefined {
  const value = settings[key];
  return typeof value === 'string' ? value : undefined;
}

export function numberSetting(settings: DriverSettings, key: string): number | undefined {
  const value = settings[key];
  return typeof value === 'number' ? value : undefined;
}

export function booleanSetting(settings: DriverSettings, key: string): boolean | undefined {
  const value = settings[key];
  return typeof value === 'boolean' ? value : undefined;
}

export const seconds = (min: number, max: number): DriverKeyType => ({ kind: 'number', min, max, unit: 's' });

/** A CoT type such as a-f-G-U-C (the same rule as [takd] type). */
export const COT_TYPE: DriverKeyType = { kind: 'string', pattern: /^[a-z](-[A-Za-z0-9.]+)+$/, hint: 'a CoT type such as a-f-G-U-C' };

/** The CoT settings of a driver whose messages are tracks: uid prefix, CoT type, stale time. */
export function trackKeys(defaultPrefix: string, uidTail: string, cotType: DriverKey): DriverKey[] {
  return [
    { key: 'uid_prefix', type: { kind: 'string', pattern: /^[\x21-\x7e]{1,32}$/, hint: 'printable ASCII without spaces, up to 32' }, defaultText: defaultPrefix, doc: `prefix of the CoT uid of each track (then the ${uidTail})` },
    cotType,
    { key: 'stale', type: seconds(10, 86400), defaultText: '3600', doc: 'seconds until a track goes stale' },
  ];
}
