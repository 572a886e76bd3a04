/**
 * The router's flow control for a transport that keeps a small queue of its own (wss://,
 * marti://): it takes events while it is up and its queue is short, and says so once the
 * queue is short again, so that what waits for a slow link waits in the router's lanes
 * (coalesced, and stored for chat and markers), not in the transport's drop-oldest queue.
 * A link that comes back up is found by the router's own periodic pump.
 */
import type { OutputListener, TransportState } from './types.js';

/** Events in the transport's queue from which it stops taking more (MAX_OUT_QUEUE is 100 by default). */
export const BACKLOG_DEPTH = 32;

export interface BacklogSource {
  isUp(): boolean;
  backlog(): number;
  whenBacklogBelow(depth: number, listener: () => void): void;
}

export class BacklogFlow {
  private listener: OutputListener | undefined;
  private waiting = false;

  constructor(private readonly source: BacklogSource) {}

  setListener(listener: OutputListener | undefined): void {
    this.listener = listener;
  }

  writable(): boolean {
    if (!this.source.isUp()) return false;
    if (this.source.backlog() < BACKLOG_DEPTH) return true;
    if (!this.waiting && this.listener !== undefined) {
      this.waiting = true;
      this.source.whenBacklogBelow(BACKLOG_DEPTH, () => {
        this.waiting = false;
        this.listener?.onWritable();
      });
    }
    return false;
  }
}

/**
 * The output side of a transport with a small queue of its own (wss://, marti://): up while
 * connected, writable while its backlog is short, flushed once its queue is handed over.
 */
export abstract class QueuedOutput implements BacklogSource {
  protected state: TransportState = 'stopped';
  protected message = 'not started';
  private readonly flow = new BacklogFlow(this);

  abstract backlog(): number;
  abstract whenBacklogBelow(depth: number, listener: () => void): void;
  /** Resolves once every event queued so far is handed over; rejects if the transport fails for good first. */
  protected abstract whenIdle(): Promise<void>;

  isUp(): boolean {
    return this.state === 'connected';
  }

  /** The router takes events here only while this is true. */
  writable(): boolean {
    return this.flow.writable();
  }

  setListener(listener: OutputListener | undefined): void {
    this.flow.setListener(listener);
  }

  flush(): Promise<void> {
    if (this.state === 'failed') return Promise.reject(new Error(this.message));
    return this.whenIdle();
  }

  protected setState(state: TransportState, message: string): void {
    this.state = state;
    this.message = message;
  }
}
