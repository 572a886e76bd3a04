/**
 * What an event needs before it can be sent as TAK protocol v1 (spec §6): every core field.
 * Anything less is an Error (not a decode error): the caller sends XML instead.
 */
import type { CotEvent } from '../event.js';

/** Latest time a JS Date (and so an XML time) can hold, in ms. */
export const MAX_TIME_MS = 8.64e15;

const POINT_KEYS = ['lat', 'lon', 'hae', 'ce', 'le'] as const;

const isTime = (value: number) => value >= 0 && value <= MAX_TIME_MS;

export function checkEncodable(event: CotEvent): void {
  const p = event.point;
  const valid =
    event.uid && event.type && event.how && isTime(event.time) && isTime(event.start) && isTime(event.stale) && p &&
    Number.isFinite(p.lat) && Number.isFinite(p.lon) && Number.isFinite(p.hae) && Number.isFinite(p.ce) && Number.isFinite(p.le);
  if (!valid) throw new Error(`cannot encode as TAK protocol v1: ${encodeProblems(event).join(', ')}`);
}

/** What checkEncodable found wrong, for the error message (the slow path). */
function encodeProblems(event: CotEvent): string[] {
  const problems: string[] = [];
  for (const key of ['uid', 'type', 'how'] as const) if (!event[key]) problems.push(`${key} is missing or empty`);
  for (const key of ['time', 'start', 'stale'] as const) if (!isTime(event[key])) problems.push(`${key} is not a time from 1970 on`);
  if (!event.point) problems.push('point is missing');
  else for (const key of POINT_KEYS) if (!Number.isFinite(event.point[key])) problems.push(`point.${key} is not a finite number`);
  return problems;
}
