/**
 * An output slot whose transport comes and goes: the supervisor attaches a transport when
 * the output starts and detaches it when it stops or is restarted with a new instance. The
 * slot's policy, waiting events and durable queue outlive any one transport; while nothing
 * is attached the link is down (events wait or go to the durable queue).
 */
import type { CotEvent } from '../codec/event.js';
import type { CotOutput, TransportStatus } from '../transports/index.js';
import type { OutputTarget } from './output-link.js';
import { transportIsBusy, transportIsUp } from './transport-target.js';

/** A transport as the router sees it: it can send, and may report its state and queue. */
export type AttachableOutput = CotOutput & { status?(): Pick<TransportStatus, 'state'> };

export class AttachableTarget implements OutputTarget {
  private output: AttachableOutput | undefined;
  onReady: (() => void) | undefined;

  constructor(readonly name: string) {}

  attach(output: AttachableOutput): void {
    this.output = output;
  }

  /** Detaches `output` (or whatever is attached); a newer instance already attached stays. */
  detach(output?: AttachableOutput): void {
    if (output === undefined || this.output === output) this.output = undefined;
  }

  isUp(): boolean {
    return this.output !== undefined && transportIsUp(this.output);
  }

  busy(): boolean {
    return this.output !== undefined && transportIsBusy(this.output, this.onReady);
  }

  send(event: CotEvent): boolean {
    return this.output?.send(event) ?? false;
  }

  /** The attached transport's flush (what was sent went to the transport attached now). */
  flush(): Promise<void> {
    return this.output?.flush() ?? Promise.resolve();
  }
}
