/**
 * APRS decoder for KISS frames: port/command byte → AX.25 UI frame → APRS info field.
 * Emits one AprsPacket per packet that carries a position; everything else is counted by
 * reason (KISS commands other than data, SMACK, non-UI frames, message/status/telemetry/
 * weather packets, bad positions). Never throws.
 */
import type { Decoder } from '../../contract.js';
import { decodeAx25, type Ax25Frame } from './ax25.js';
import { decodeInfo } from './info.js';
import type { AprsPacket } from './packet.js';
import { parseTnc2 } from './tnc2.js';

export type AprsDecoderCounters = Record<string, number>;

export class AprsDecoder implements Decoder<Buffer, AprsPacket> {
  readonly counters: AprsDecoderCounters = { frames: 0, packets: 0, notData: 0, smack: 0 };

  /** One KISS frame (first byte port/command). */
  decode(frame: Buffer, emit: (packet: AprsPacket) => void): void {
    this.counters.frames++;
    if (frame.length === 0) return;
    const command = frame[0];
    if ((command & 0x80) !== 0 && (command & 0x0f) === 0) {
      this.count('smack'); // SMACK: data with an appended CRC, which we do not check
      return;
    }
    if ((command & 0x0f) !== 0) {
      this.count('notData'); // TXDELAY, persistence… echoed by some TNCs; 0xFF return
      return;
    }
    const ax25 = decodeAx25(frame.subarray(1));
    if (typeof ax25 === 'string') {
      this.count(`ax25:${ax25}`);
      return;
    }
    this.decodeFrame(ax25, emit);
  }

  /** One TNC2 text line (`SRC>DEST,PATH:info`), for logs and APRS-IS. */
  decodeText(line: string, emit: (packet: AprsPacket) => void): void {
    this.counters.frames++;
    const frame = parseTnc2(line.replace(/[\r\n]+$/, ''));
    if (frame === undefined) {
      this.count('notTnc2');
      return;
    }
    this.decodeFrame(frame, emit);
  }

  flush(_emit: (packet: AprsPacket) => void): void {
    // Each frame stands alone: nothing is held.
  }

  private decodeFrame(frame: Ax25Frame, emit: (packet: AprsPacket) => void): void {
    const result = decodeInfo(frame);
    if (typeof result === 'string') {
      this.count(`skipped:${result}`);
      return;
    }
    this.counters.packets++;
    emit(result);
  }

  private count(reason: string): void {
    this.counters[reason] = (this.counters[reason] ?? 0) + 1;
  }
}
