// Polling for a condition in tests: for state that changes in another process, a socket or
// a timer, where there is no event to await.

const POLL_MS = 10;

/** True once `condition` holds, false if it still does not after `limitMs`. */
export async function eventually(condition: () => boolean, limitMs: number): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return true;
}

/** Resolves once `condition` holds; throws "gave up waiting for: what" after `limitMs`. */
export async function waitUntil(condition: () => boolean, what: string, limitMs = 15_000): Promise<void> {
  if (!(await eventually(condition, limitMs))) throw new Error(`gave up waiting for: ${what}`);
}

/**
 * For showing that something stops (traffic once its senders stopped: a loop would keep it
 * going): true once `value()` has stayed the same for `quietMs`, false if it still changes
 * after `limitMs`.
 */
export async function settles(value: () => number, quietMs: number, limitMs: number): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  let last = value();
  let changedAt = Date.now();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    const now = Date.now();
    const current = value();
    if (current !== last) {
      last = current;
      changedAt = now;
    } else if (now - changedAt >= quietMs) {
      return true;
    }
    if (now > deadline) return false;
  }
}
