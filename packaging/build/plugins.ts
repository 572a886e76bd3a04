// esbuild plugins that make the sources work as one CommonJS file with no node_modules
// next to it: package.json read through import.meta.url is inlined, other import.meta
// uses get a stable synthetic URL, and the two addon loaders are swapped for ours.
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { transformSync, type Plugin } from 'esbuild';

/** A root no file lives under: import.meta.url must still parse as a file: URL. */
const SYNTHETIC_ROOT = '/usr/lib/takd/bundle';

// readFileSync(new URL('../../package.json', import.meta.url), 'utf8') in any spacing/quotes.
const PACKAGE_JSON_READ =
  /readFileSync\(\s*new URL\(\s*(['"])(?:\.\.?\/)+package\.json\1\s*,\s*import\.meta\.url\s*\)\s*,\s*(['"])utf-?8\2\s*\)/g;

// require('node-gyp-build') through a createRequire()'d require, as native/index.ts does.
const RUNTIME_NODE_GYP_BUILD = /\brequire\(\s*(['"])node-gyp-build\1\s*\)/g;

function sourceRewriter(repoRoot: string, packageJsonText: string): Plugin {
  const root = resolve(repoRoot);
  const rootPattern = new RegExp(`^${root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/(daemon|hal|config|native|packaging)/.*\\.ts$`);
  return {
    name: 'takd-import-meta',
    setup(build) {
      build.onLoad({ filter: rootPattern }, (args) => {
        let source = readFileSync(args.path, 'utf8');
        if (!source.includes('import.meta') && !source.includes('node-gyp-build')) return undefined;
        source = source.replace(PACKAGE_JSON_READ, () => JSON.stringify(packageJsonText));
        // A require() made at run time is invisible to esbuild: turn it into a static import
        // so that the node-gyp-build stand-in below is what the bundle calls.
        const withStaticLoader = source.replace(RUNTIME_NODE_GYP_BUILD, '__takdNodeGypBuild');
        if (withStaticLoader !== source) source = `import __takdNodeGypBuild from 'node-gyp-build';\n${withStaticLoader}`;
        const jsPath = `${SYNTHETIC_ROOT}/${relative(root, args.path).replace(/\.ts$/, '.js')}`;
        source = source
          .replaceAll('import.meta.url', JSON.stringify(`file://${jsPath}`))
          .replaceAll('import.meta.filename', JSON.stringify(jsPath))
          .replaceAll('import.meta.dirname', JSON.stringify(jsPath.replace(/\/[^/]*$/, '')));
        return { contents: source, loader: 'ts' };
      });
    },
  };
}

function addonLoaders(repoRoot: string): Plugin {
  const runtime = resolve(repoRoot, 'packaging/runtime');
  return {
    name: 'takd-addons',
    setup(build) {
      // serialport's loader: the exact file inside @serialport/bindings-cpp.
      build.onLoad({ filter: /@serialport[\\/]bindings-cpp[\\/]dist[\\/]serialport-bindings\.js$/ }, () => ({
        contents: `module.exports = require(${JSON.stringify(`${runtime}/serialport-bindings.ts`)});`,
        loader: 'js',
        resolveDir: runtime,
      }));
      // node-gyp-build for everything else (our native/ addon); shaped as CommonJS so that
      // both `require` and a default import get the function.
      build.onResolve({ filter: /^node-gyp-build$/ }, () => ({ path: 'node-gyp-build', namespace: 'takd-shim' }));
      build.onLoad({ filter: /.*/, namespace: 'takd-shim' }, () => ({
        contents: `module.exports = require(${JSON.stringify(`${runtime}/node-gyp-build.ts`)}).default;`,
        loader: 'js',
        resolveDir: runtime,
      }));
    },
  };
}

// The packages only `takd ca|user|package` and [enrollment] load (daemon/pki/): fully minified
// (identifiers too), since their stack traces are not what the journal needs to read, and the
// single binary's size budget is tight (arm64 pads to 64 KiB pages).
const PKI_PACKAGES = /[\\/]node_modules[\\/](node-forge|qrcode|dijkstrajs)[\\/].*\.js$/;

function pkiMinifier(): Plugin {
  return {
    name: 'takd-pki-minify',
    setup(build) {
      build.onLoad({ filter: PKI_PACKAGES }, (args) => ({
        contents: transformSync(readFileSync(args.path, 'utf8'), { loader: 'js', format: 'cjs', minify: true, legalComments: 'none' }).code,
        loader: 'js',
      }));
    },
  };
}

/** The package.json fields the code reads at run time (version, name), nothing else. */
export function minimalPackageJson(repoRoot: string): string {
  const pkg = JSON.parse(readFileSync(resolve(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string };
  return JSON.stringify({ name: pkg.name, version: pkg.version });
}

/** The SEA asset holding the console page's files (their JSON, as page-assets.generated.js exports it). */
export const PAGE_ASSET = 'console-page.json';

/**
 * The single binary: the console page's files come from a SEA asset (mapped from the
 * executable, read on the first page request) instead of ~200 KB of base64 in the bundle's
 * source, which V8 keeps in the heap of every daemon, [status] http or not.
 */
function pageFromSeaAsset(): Plugin {
  return {
    name: 'takd-page-asset',
    setup(build) {
      build.onResolve({ filter: /page-assets\.generated\.js$/ }, () => ({ path: 'page-assets', namespace: 'takd-page' }));
      build.onLoad({ filter: /.*/, namespace: 'takd-page' }, () => ({
        contents: `let files;\ntry { files = JSON.parse(Buffer.from(require('node:sea').getRawAsset(${JSON.stringify(PAGE_ASSET)})).toString('utf8')); } catch { files = undefined; }\nmodule.exports = { PAGE_FILES: files };\n`,
        loader: 'js',
      }));
    },
  };
}

export function bundlePlugins(repoRoot: string, options: { pageAsset?: boolean } = {}): Plugin[] {
  return [...(options.pageAsset ? [pageFromSeaAsset()] : []), sourceRewriter(repoRoot, minimalPackageJson(repoRoot)), addonLoaders(repoRoot), pkiMinifier()];
}
