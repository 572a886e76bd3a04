import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CotEvent } from '../codec/event.js';
import { classifyLane } from './lane.js';

function event(type: string, how: string, extra: Partial<CotEvent> = {}): CotEvent {
  return { uid: 'u', type, how, time: 0, start: 0, stale: 1, point: { lat: 0, lon: 0, hae: 0, ce: 0, le: 0 }, ...extra };
}

test('emergency, chat and control types', () => {
  assert.equal(classifyLane(event('b-a-o-tbl', 'h-e')), 'emergency');
  assert.equal(classifyLane(event('b-a-o-can', 'h-e')), 'emergency');
  assert.equal(classifyLane(event('b-a-g', 'h-e')), 'emergency');
  assert.equal(classifyLane(event('b-t-f', 'h-g-i-g-o')), 'chat');
  assert.equal(classifyLane(event('b-t-f-d', 'm-g')), 'chat');
  assert.equal(classifyLane(event('t-x-c-t', 'm-g')), 'control');
  assert.equal(classifyLane(event('t-x-c-t-r', 'm-g')), 'control');
  assert.equal(classifyLane(event('t-x-takp-q', 'm-g')), 'control');
});

test('a type that merely starts with the same letters is not matched', () => {
  assert.equal(classifyLane(event('b-t-fx', 'h-e')), 'tasking');
  assert.equal(classifyLane(event('b-a-gx', 'h-e')), 'tasking');
});

test('tasking and markers', () => {
  assert.equal(classifyLane(event('t-x-d-d', 'h-e')), 'tasking');
  assert.equal(classifyLane(event('b-m-p-s-p-i', 'h-e')), 'tasking');
  assert.equal(classifyLane(event('u-d-f', 'h-e')), 'tasking');
  assert.equal(classifyLane(event('b-r-f-h-c', 'h-e')), 'tasking');
  assert.equal(classifyLane(event('a-h-G', 'h-g-i-g-o')), 'tasking');
  assert.equal(classifyLane(event('a-h-G', 'h-e', { contact: { callsign: 'marker' } })), 'tasking');
});

test('position reports: machine-made atoms and hand-placed self reports', () => {
  assert.equal(classifyLane(event('a-f-G-U-C', 'm-g')), 'pli');
  assert.equal(classifyLane(event('a-n-S-X-M', 'm-a')), 'pli');
  assert.equal(classifyLane(event('a-f-G-U-C', 'h-e', { contact: { callsign: 'J', endpoint: '*:-1:stcp' } })), 'pli');
  assert.equal(classifyLane(event('a-f-G-U-C', 'h-e', { takv: { device: 'd', platform: 'ATAK-CIV', os: '34', version: '4' } })), 'pli');
});
