// The logger HAL components use when none is injected: says nothing (benchmarks, tests).
import type { HalLogger } from './contract.js';

const noop = (): void => undefined;

export const silentLogger: HalLogger = {
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  child: () => silentLogger,
};
