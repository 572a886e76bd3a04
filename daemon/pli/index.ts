// Own position (PLI): the component the daemon runs, and its parts — the reporter, its
// policy, the event builder, identity, health telemetry and clock.
export { PliReporter, type PliReporterOptions, type PliOutputSchedule, type NoFixBehaviour } from './reporter.js';
export { ReportingPolicy, DEFAULT_REPORTING, distanceMetres, type ReportingOptions, type ReportReason } from './policy.js';
export { buildPliEvent, hasPosition, type PliInput, type PositionFix } from './report.js';
export { deriveUid, identityKey, DEFAULT_PLI_TYPE, type PliIdentity } from './identity.js';
export { CotClock, type CotClockOptions } from './time.js';
export { localIdentity, type LocalIdentityOptions } from './local.js';
export { HealthTelemetry } from './health.js';
export { OwnPosition, type OwnPositionConfig } from './own-position.js';
