/**
 * What the embedded default (config/embedded.ts) asks about this machine: does a gpsd
 * answer on localhost, and is there a serial device that looks like a GNSS receiver.
 */
import { connect } from 'node:net';
import type { EmbeddedProbes } from '../../config/embedded.js';
import { drivers, listSerialDevices } from '../../hal/index.js';

/** gpsd greets every client with a VERSION object; anything else listening there is not gpsd. */
export function gpsdAnswers(host = '127.0.0.1', port = 2947, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    let text = '';
    const finish = (answer: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on('data', (chunk) => {
      text += chunk.toString('latin1');
      if (text.includes('"class":"VERSION"')) finish(true);
      else if (text.length > 4096) finish(false);
    });
    socket.on('error', () => finish(false));
    socket.on('close', () => finish(false));
  });
}

export const realProbes: EmbeddedProbes = {
  gpsdAnswers: () => gpsdAnswers(),
  serialGps: async () => (await listSerialDevices(drivers).catch(() => [])).find((d) => d.likelyDriver === 'nmea-gnss'),
};
