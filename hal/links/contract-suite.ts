/**
 * One contract suite for every ByteLink (style: run the same tests against the mock and the
 * real thing). A harness plays the device side; the suite checks what the contract in
 * hal/contract.ts promises: order, writes, unplug → `disconnected`, close → `canceled`,
 * opening an absent device → `open-failed`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ByteLink } from '../contract.js';
import { isLinkError } from './errors.js';
import { waitUntil } from '../../test/support/wait.js';

export interface LinkHarness {
  open(): Promise<ByteLink>;
  /** The device sends bytes to the host. */
  deviceSend(bytes: Buffer): Promise<void>;
  /** Bytes the device has received from the host so far. */
  deviceReceived(): Buffer;
  unplug(): Promise<void>;
  replug(): Promise<void>;
  cleanup(): Promise<void>;
}

function collect(link: ByteLink): { bytes: () => Buffer; ended: Promise<unknown> } {
  const parts: Buffer[] = [];
  const ended = (async () => {
    try {
      for await (const chunk of link.chunks()) {
        assert.ok(chunk.length > 0, 'chunks are never empty');
        parts.push(Buffer.from(chunk));
      }
      return undefined;
    } catch (error) {
      return error;
    }
  })();
  return { bytes: () => Buffer.concat(parts), ended };
}

export function linkContractSuite(name: string, makeHarness: () => Promise<LinkHarness>, options: { skip?: string | false } = {}): void {
  const run = (title: string, body: (h: LinkHarness) => Promise<void>): void => {
    test(`${name} link contract: ${title}`, { skip: options.skip, timeout: 30_000 }, async () => {
      const harness = await makeHarness();
      try {
        await body(harness);
      } finally {
        await harness.cleanup();
      }
    });
  };

  run('bytes from the device arrive complete and in order', async (h) => {
    const link = await h.open();
    const reader = collect(link);
    const data = Buffer.from(Array.from({ length: 4000 }, (_, i) => `$GPTXT,${i}*00\r\n`).join(''));
    for (let at = 0; at < data.length; at += 1000) await h.deviceSend(data.subarray(at, at + 1000));
    await waitUntil(() => reader.bytes().length >= data.length, 'all bytes', 5000);
    assert.ok(reader.bytes().equals(data));
    await link.close();
    await reader.ended;
  });

  run('write reaches the device', async (h) => {
    const link = await h.open();
    await link.write(Buffer.from('?WATCH={"enable":true}\n'));
    await waitUntil(() => h.deviceReceived().length >= 23, 'the write', 5000);
    assert.equal(h.deviceReceived().toString(), '?WATCH={"enable":true}\n');
    await link.close();
  });

  run('unplug ends chunks() with disconnected; writes then fail', async (h) => {
    const link = await h.open();
    const reader = collect(link);
    await h.deviceSend(Buffer.from('before\r\n'));
    await waitUntil(() => reader.bytes().length === 8, 'data before unplug', 5000);
    await h.unplug();
    const error = await reader.ended;
    assert.ok(isLinkError(error) && error.kind === 'disconnected', `got ${String(error)}`);
    await assert.rejects(link.write(Buffer.from('x')), (e: unknown) => isLinkError(e) && e.kind !== 'open-failed');
    await link.close();
  });

  run('an absent device fails to open with open-failed; it opens once it is back', async (h) => {
    await h.unplug();
    await assert.rejects(h.open(), (e: unknown) => isLinkError(e) && e.kind === 'open-failed');
    await h.replug();
    const link = await h.open();
    await link.close();
  });

  run('close ends the iteration (canceled) and is idempotent', async (h) => {
    const link = await h.open();
    const reader = collect(link);
    await link.close();
    await link.close();
    const error = await reader.ended;
    assert.ok(error === undefined || (isLinkError(error) && error.kind === 'canceled'), `got ${String(error)}`);
  });
}
