// Where tests find the repository and the shared corpus. Tests run with the repository
// root as the working directory (npm test does that); TAKD_SHARED_DIR overrides shared/.
import { resolve } from 'node:path';

export const repoRoot = process.cwd();
export const sharedDir = process.env.TAKD_SHARED_DIR ?? resolve(repoRoot, '../shared');
export const gnssCorpusDir = resolve(sharedDir, 'corpus/gnss');
export const aisCorpusDir = resolve(sharedDir, 'corpus/ais');
