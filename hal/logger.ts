// The logger HAL components use when none is injected: the one silent logger (util/logger.ts).
export { silentLogger } from '../util/logger.js';
