import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAisSentence, type AisFragment } from './sentence.js';

const valid = '!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A';

test('ais sentence: fields of a single-fragment sentence', () => {
  const f = parseAisSentence(valid) as AisFragment;
  assert.equal(f.talker, 'AIVDM');
  assert.equal(f.own, false);
  assert.deepEqual([f.count, f.number, f.sequenceId, f.channel, f.fill], [1, 1, -1, 'A', 0]);
  assert.equal(f.line.slice(f.payloadStart, f.payloadEnd), '15RTgt0PAso;90TKcjM8h6g208CQ');
});

test('ais sentence: multi-fragment with sequence id, VDO and other talkers', () => {
  const f = parseAisSentence('!AIVDM,2,2,5,B,:D44QDlp0C1DU00,2*36') as AisFragment;
  assert.deepEqual([f.count, f.number, f.sequenceId, f.channel, f.fill], [2, 2, 5, 'B', 2]);
  assert.equal((parseAisSentence('!BSVDO,1,1,,,0,0*1C') as AisFragment | string) !== 'not-ais', true);
});

test('ais sentence: extra fields after the checksum and a tag block before it are accepted', () => {
  const extra = parseAisSentence('!AIVDM,1,1,,B,;4R33:1uUK2F`q?mOt@@GoQ00000,0*5D,s28089,d-103,T39.44353985,x147521,r08TPHI1,1242958962');
  assert.equal(typeof extra, 'object');
  const tagged = parseAisSentence(`\\s:rORBCOMM,c:1241544035*4A\\${valid}`);
  assert.equal(typeof tagged, 'object');
});

test('ais sentence: rejects are reasons, never exceptions', () => {
  assert.equal(parseAisSentence(valid.replace('*4A', '*4B')), 'bad-checksum');
  assert.equal(parseAisSentence(valid.slice(0, -3)), 'no-checksum');
  assert.equal(parseAisSentence('$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A'), 'not-ais');
  assert.equal(parseAisSentence(''), 'not-ais');
  assert.equal(parseAisSentence('\\unterminated tag'), 'bad-field');
  // number > count, a fill of 7, a two-digit count: bad fields (checksums fixed up so only the field is wrong)
  for (const body of ['AIVDM,1,2,,A,15RT,0', 'AIVDM,1,1,,A,15RT,7', 'AIVDM,10,1,,A,15RT,0', 'AIVDM,1,1,,A,15RT', 'AIVDM,2,1,X,A,15RT,0']) {
    let sum = 0;
    for (const c of body) sum ^= c.charCodeAt(0);
    const line = `!${body}*${sum.toString(16).toUpperCase().padStart(2, '0')}`;
    assert.equal(parseAisSentence(line), 'bad-field', line);
  }
});
