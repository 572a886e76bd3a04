/** For write-side unit tests: a real Writable whose writes complete only when release() is called. */
import { Writable } from 'node:stream';

export function slowSink(highWaterMark?: number): { sink: Writable; written: string[]; release: () => void } {
  const written: string[] = [];
  let pending: (() => void)[] = [];
  const sink = new Writable({
    ...(highWaterMark === undefined ? {} : { highWaterMark }),
    write(chunk: Buffer, _encoding, callback) {
      written.push(...chunk.toString().trim().split('\n'));
      pending.push(callback);
    },
  });
  return {
    sink,
    written,
    release: () => {
      const callbacks = pending;
      pending = [];
      for (const callback of callbacks) callback();
    },
  };
}
