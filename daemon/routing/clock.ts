/** Time as the router sees it: injected so tests can step it. Epoch milliseconds. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to (unit tests). */
export class ManualClock implements Clock {
  constructor(private time = Date.UTC(2024, 4, 1, 12)) {}

  now(): number {
    return this.time;
  }

  advance(ms: number): void {
    this.time += ms;
  }
}
