/**
 * The one adapter between an OutputLink and a transport: the output slot. The supervisor
 * attaches a transport when the output starts and detaches it when it stops or is
 * restarted with a new instance (a router given a fixed transport attaches it for good).
 * The slot's policy, waiting events and durable queue outlive any one transport; while
 * nothing is attached the link is down (events wait or go to the durable queue).
 *
 * Whatever is attached hears from the link's listener (writable again; events a dead
 * connection gave back). A detached transport keeps that listener, so what it gives back
 * while it closes still returns to the link.
 */
import type { CotEvent } from '../codec/event.js';
import type { CotOutput, OutputListener, TransportStatus } from '../transports/index.js';
import type { OutputTarget } from './output-link.js';

/** A transport as the router sees it: it can send, and may report its state and whether it can take an event now. */
export type AttachableOutput = Pick<CotOutput, 'name' | 'send' | 'flush' | 'isUp' | 'writable' | 'setListener'> & { status?(): Pick<TransportStatus, 'state'> };

export class AttachableTarget implements OutputTarget {
  private output: AttachableOutput | undefined;
  private listener: OutputListener | undefined;

  constructor(readonly name: string) {}

  setListener(listener: OutputListener | undefined): void {
    this.listener = listener;
    this.output?.setListener?.(listener);
  }

  attach(output: AttachableOutput): void {
    this.output = output;
    output.setListener?.(this.listener);
  }

  /** Detaches `output` (or whatever is attached); a newer instance already attached stays. */
  detach(output?: AttachableOutput): void {
    if (output === undefined || this.output === output) this.output = undefined;
  }

  /** Up: by the transport's own isUp(), else by its status; a transport that reports neither is up. */
  isUp(): boolean {
    const output = this.output;
    if (output === undefined) return false;
    if (output.isUp !== undefined) return output.isUp();
    return output.status === undefined || output.status().state === 'connected';
  }

  /** Transports without writable() take events whenever they are up. */
  writable(): boolean {
    const output = this.output;
    return output !== undefined && (output.writable === undefined || output.writable());
  }

  send(event: CotEvent): boolean {
    return this.output?.send(event) ?? false;
  }

  /** The attached transport's flush (what was sent went to the transport attached now). */
  flush(): Promise<void> {
    return this.output?.flush() ?? Promise.resolve();
  }
}
