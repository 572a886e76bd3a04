/**
 * What the supervisor runs: sources, network inputs and outputs, each by its config id
 * (`output.mesh`). A component owns its own reconnects (transports and HAL sources do);
 * the supervisor restarts only what has failed for good, and reports everyone's state.
 */
import type { LinkState } from '../../util/link-state.js';

export type ComponentKind = 'output' | 'input' | 'source';

/** A component's state: the one link vocabulary (util/link-state.ts). */
export type ComponentState = LinkState;

export interface ComponentStatus {
  id: string;
  kind: ComponentKind;
  state: ComponentState;
  /** A human sentence: "connected to 10.0.0.5:8089", "retrying in 9 s: ECONNREFUSED". */
  detail: string;
  lastError?: string;
  /** Events waiting to be sent (outputs). */
  queueDepth?: number;
  counters: Record<string, number>;
}

export interface Component {
  readonly id: string;
  readonly kind: ComponentKind;
  /** Opens the component. Throws for configuration mistakes (a bad certificate file, a port in use). */
  start(): Promise<void>;
  /** Stops intake or sending and releases sockets and devices. Idempotent. */
  stop(): Promise<void>;
  /** Outputs: resolves once queued events are handed to the OS. */
  flush?(): Promise<void>;
  status(): ComponentStatus;
}

/** How to make a component; `fingerprint` equal on reload means "unchanged, keep it running". */
export interface ComponentSpec {
  id: string;
  kind: ComponentKind;
  fingerprint: string;
  create(): Component;
}

/** Start order: outputs first so nothing received is lost, then inputs, then sources. */
export const START_ORDER: readonly ComponentKind[] = ['output', 'input', 'source'];
