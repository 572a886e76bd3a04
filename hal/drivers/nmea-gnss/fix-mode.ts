// The fix mode of one epoch, decided the way gpsd decides it: each fix-bearing sentence, in the
// order the receiver sent it, says what it knows about the mode, and the last word stands. The
// rules per sentence are the table in rules.md; each row is one entry of `modeRules` below.
import type { FixMode } from '../../contract.js';
import type { EpochData, ModeEvidence } from './epoch.js';

/** What the rules may look at besides the sentence itself: the epoch so far and the last epoch. */
interface ModeContext {
  /** The mode after the sentences before this one (0 before the first). */
  soFar: FixMode;
  /** The previous epoch's mode: RMC and GLL say "valid" but not 2D or 3D, and gpsd keeps a 3D. */
  previous: FixMode;
  /** An earlier sentence of this epoch gave an altitude. */
  altitudeSeen: boolean;
  /** Satellites used, summed over this epoch's GSAs so far. */
  gsaSatellites: number;
  /** The best mode among this epoch's GSAs so far (0 when none). */
  bestGsa: FixMode;
}

/** Returns the mode after the sentence, or undefined when the sentence leaves it as it was. */
type ModeRule<E extends ModeEvidence> = (report: E['report'], context: ModeContext) => FixMode | undefined;

type ModeRules = { [S in ModeEvidence['sentence']]: ModeRule<Extract<ModeEvidence, { sentence: S }>> };

/** gpsd: 3D needs at least 4 satellites; fewer than 3 is no fix, whatever the quality says. */
const MIN_SATELLITES_3D = 4;
const MIN_SATELLITES_FIX = 3;

const hasPosition = (report: { lat?: number; lon?: number }): boolean =>
  report.lat !== undefined && report.lon !== undefined;

/** RMC and GLL carry no dimension: 3D when this epoch or the last showed a height or 4+ satellites. */
function validWithoutDimension(context: ModeContext): FixMode {
  if (context.previous === 3 || context.soFar === 3 || context.altitudeSeen) return 3;
  return context.gsaSatellites >= MIN_SATELLITES_3D ? 3 : 2;
}

const modeRules: ModeRules = {
  GGA(gga) {
    if (gga.quality === 0 || !hasPosition(gga)) return 1;
    const used = gga.satellitesUsed;
    // A receiver may send quality 1 with 0 satellites (Hemisphere without a fix, multi-GNSS
    // receivers counting one system): no fix from GGA, and a GSA after it has the last word.
    if (used !== undefined && used < MIN_SATELLITES_FIX) return 1;
    if (gga.altMSL === undefined) return 2;
    return used === undefined || used >= MIN_SATELLITES_3D ? 3 : 2;
  },
  GNS(gns) {
    if (!gns.valid) return 1; // every constellation's indicator is N (or there is none)
    if (gns.navigationStatus === 'U' || gns.navigationStatus === 'V') return undefined;
    if (!hasPosition(gns)) return 1;
    const used = gns.satellitesUsed;
    if (gns.altMSL === undefined) return 2;
    return used === undefined || used >= MIN_SATELLITES_3D ? 3 : 2;
  },
  GSA(gsa, context) {
    if (gsa.mode === undefined) return undefined;
    // One GSA per constellation: the best of them is the epoch's, a later one never downgrades it.
    const best = Math.max(gsa.mode, context.bestGsa) as FixMode;
    // A 2D GSA leaves a 3D from the epoch's other sentences (Quectel, TomTom: GSA 2 beside GGA's height).
    return best === 1 ? 1 : (Math.max(best, context.soFar) as FixMode);
  },
  RMC(rmc, context) {
    if (!rmc.valid || !hasPosition(rmc)) return 1;
    return validWithoutDimension(context);
  },
  GLL(gll, context) {
    if (!gll.valid || !hasPosition(gll)) return 1;
    return validWithoutDimension(context);
  },
  PGRMZ(pgrmz) {
    return pgrmz.mode as FixMode | undefined;
  },
};

function apply(evidence: ModeEvidence, context: ModeContext): FixMode | undefined {
  const rule = modeRules[evidence.sentence] as ModeRule<ModeEvidence>;
  return rule(evidence.report, context);
}

/** The epoch's fix mode: its sentences replayed in arrival order through the rules table. */
export function epochFixMode(epoch: EpochData, previous: FixMode): FixMode {
  const context: ModeContext = { soFar: 0, previous, altitudeSeen: false, gsaSatellites: 0, bestGsa: 0 };
  for (const evidence of epoch.evidence) {
    const mode = apply(evidence, context);
    if (mode !== undefined) context.soFar = mode;
    const report = evidence.report;
    if ('altMSL' in report && report.altMSL !== undefined) context.altitudeSeen = true;
    if (evidence.sentence === 'GSA') {
      context.gsaSatellites += evidence.report.satellitesUsed;
      const said = evidence.report.mode;
      if (said !== undefined && said > context.bestGsa) context.bestGsa = said as FixMode;
    }
  }
  return context.soFar;
}
