// Stands in for @serialport/bindings-cpp/dist/serialport-bindings.js inside the bundle: that
// file asks node-gyp-build to search the package directory, which does not exist there.
import { ADDON_NAMES, loadAddon } from './addons.js';

export const binding = loadAddon(ADDON_NAMES.serialport);
