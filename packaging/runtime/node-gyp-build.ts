// Stands in for node-gyp-build inside the bundle. serialport's own loader is replaced
// separately, so every remaining caller is takd's native/ addon; the directory argument
// (meaningless in a bundle) is ignored.
import { ADDON_NAMES, loadAddon, locateAddon } from './addons.js';

function nodeGypBuild(_directory?: string): unknown {
  return loadAddon(ADDON_NAMES.native);
}

nodeGypBuild.path = (_directory?: string): string => {
  const path = locateAddon(ADDON_NAMES.native);
  if (!path) throw new Error(`takd: native addon '${ADDON_NAMES.native}' not found`);
  return path;
};

export default nodeGypBuild;
