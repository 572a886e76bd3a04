// The design's import directions, checked on the sources: which part may import which
// (the MAY_IMPORT table: the folders of daemon/, and util/, config/, hal/, native/);
// daemon/ reaches hardware only through hal/index.ts and hal/contract.ts; hal/ takes nothing
// from daemon/ but daemon/codec/event.ts; util/ takes nothing from anyone; only
// hal/links/serial.ts imports serialport; only native/index.ts loads the native addon.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { repoRoot } from './support/paths.js';

function sources(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(join(repoRoot, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) sources(path, out);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const IMPORT = /(?:import|export)\s[^'"]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g;

function imports(file: string): string[] {
  const text = readFileSync(join(repoRoot, file), 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2]);
}

/** Repository-relative path of a relative import, with .js mapped back to .ts. */
function target(file: string, specifier: string): string {
  return relative(repoRoot, resolve(repoRoot, dirname(file), specifier)).replace(/\.js$/, '.ts');
}

test('daemon/ and config/ use hardware only through hal/index.ts and hal/contract.ts', () => {
  for (const file of [...sources('daemon'), ...sources('config')]) {
    for (const spec of imports(file).filter((s) => s.startsWith('.'))) {
      const to = target(file, spec);
      if (to.startsWith('hal/')) assert.ok(to === 'hal/index.ts' || to === 'hal/contract.ts', `${file} imports ${to}`);
    }
  }
});

test('hal/ imports nothing from daemon/ but daemon/codec/event.ts', () => {
  for (const file of sources('hal')) {
    for (const spec of imports(file).filter((s) => s.startsWith('.'))) {
      const to = target(file, spec);
      if (to.startsWith('daemon/') || to.startsWith('config/')) assert.equal(to, 'daemon/codec/event.ts', `${file} imports ${to}`);
    }
  }
});

test('only hal/links/serial.ts imports serialport; only native/index.ts loads the addon', () => {
  const all = [...sources('daemon'), ...sources('hal'), ...sources('config'), ...sources('native')];
  const serial = all.filter((f) => imports(f).some((s) => s === 'serialport' || s.startsWith('@serialport/')));
  assert.deepEqual(serial, ['hal/links/serial.ts']);
  const addon = all.filter((f) => /['"]node-gyp-build['"]|\.node['"]/.test(readFileSync(join(repoRoot, f), 'utf8')));
  assert.deepEqual(addon, ['native/index.ts']);
});

/** The part of the tree a source file belongs to: a folder of daemon/, daemon/log.ts, daemon/main.ts, or a top-level folder. */
const PARTS = ['util', 'codec', 'transports', 'routing', 'pli', 'sources', 'marti', 'pki', 'hub', 'console', 'enroll', 'log', 'lifecycle', 'cli', 'main', 'config', 'hal', 'native'] as const;
type Part = (typeof PARTS)[number];

function partOf(file: string): Part | undefined {
  const [top, second] = file.split('/');
  const name = top === 'daemon' ? (second === 'log.ts' ? 'log' : second === 'main.ts' ? 'main' : second) : top;
  return (PARTS as readonly string[]).includes(name ?? '') ? (name as Part) : undefined;
}

/**
 * Which part may import which (relative imports; a part always may import itself). Kept in
 * step with the table in README.md's layout section.
 *
 * | part        | may import                                                                  |
 * | ----------- | --------------------------------------------------------------------------- |
 * | util/       | nothing (Logger, silentLogger, Backoff, RingFifo, AsyncQueue, DropLog, …)   |
 * | codec/      | nothing                                                                     |
 * | transports/ | codec, util                                                                 |
 * | routing/    | codec, util, transports, config (routing-values.ts only)                    |
 * | pli/        | codec, hal, config                                                          |
 * | sources/    | codec, util, routing, log, config, hal, lifecycle (component, routing-stage)|
 * | marti/      | util, transports (errors, tls-options, revocation), log, lifecycle (component only) |
 * | pki/        | util, transports (tls-options, revocation, listener-limits), marti (target), log, lifecycle (component) |
 * | hub/        | codec, util, transports (listener-hub only), routing, marti (client-directory only) |
 * | console/    | codec, lifecycle (status, component only)                                   |
 * | enroll/     | util, transports (url, tls-options, errors, small-file only), pki (forge) |
 * | log.ts      | util                                                                        |
 * | lifecycle/  | codec, util, transports, routing, pli, sources, marti, pki, hub, console, enroll, log, config, hal, native |
 * | cli/        | everything but main                                                         |
 * | main.ts     | cli                                                                         |
 * | config/     | util, transports (url, table, tls-options, errors, small-file only), marti (settings, tls only), pki (settings only), enroll (link, connection-package only), hal |
 * | hal/        | util, codec (event.ts only)                                                 |
 * | native/     | nothing                                                                     |
 */
const MAY_IMPORT: Record<Part, readonly Part[]> = {
  util: [],
  codec: [],
  transports: ['codec', 'util'],
  routing: ['codec', 'util', 'transports', 'config'],
  pli: ['codec', 'hal', 'config'],
  sources: ['codec', 'util', 'routing', 'log', 'config', 'hal', 'lifecycle'],
  marti: ['util', 'transports', 'log', 'lifecycle'],
  pki: ['util', 'transports', 'marti', 'log', 'lifecycle'],
  hub: ['codec', 'util', 'transports', 'routing', 'marti'],
  console: ['codec', 'util', 'lifecycle'],
  enroll: ['util', 'transports', 'pki'],
  log: ['util'],
  lifecycle: ['codec', 'util', 'transports', 'routing', 'pli', 'sources', 'marti', 'pki', 'hub', 'console', 'enroll', 'log', 'config', 'hal', 'native'],
  cli: ['codec', 'util', 'transports', 'routing', 'pli', 'sources', 'marti', 'pki', 'hub', 'console', 'enroll', 'log', 'lifecycle', 'config', 'hal', 'native'],
  main: ['cli'],
  config: ['util', 'transports', 'marti', 'pki', 'enroll', 'hal'],
  hal: ['util', 'codec'],
  native: [],
};

/** Where a part may reach another only through some of its files (hal's doors are checked above). */
const ONLY_THROUGH: { from: Part; to: Part; files: readonly string[] }[] = [
  { from: 'routing', to: 'config', files: ['config/routing-values.ts'] },
  // config/ parses transport URLs and checks TLS material and small files with the transports' own code.
  // config/ reads each transport's keys and docs from the transport table.
  { from: 'config', to: 'transports', files: ['daemon/transports/url.ts', 'daemon/transports/table.ts', 'daemon/transports/tls-options.ts', 'daemon/transports/errors.ts', 'daemon/transports/small-file.ts'] },
  { from: 'hal', to: 'codec', files: ['daemon/codec/event.ts'] },
  // The data-package server's settings and TLS rule are parsed and checked where config checks the rest.
  { from: 'config', to: 'marti', files: ['daemon/marti/settings.ts', 'daemon/marti/tls.ts'] },
  // Enrollment reads files and checks URLs and TLS material with the transports' own code.
  { from: 'enroll', to: 'transports', files: ['daemon/transports/url.ts', 'daemon/transports/tls-options.ts', 'daemon/transports/errors.ts', 'daemon/transports/small-file.ts'] },
  // config/ learns a tak:// link's server and a package's URL without loading forge.
  { from: 'config', to: 'enroll', files: ['daemon/enroll/link.ts', 'daemon/enroll/connection-package.ts'] },
  { from: 'marti', to: 'transports', files: ['daemon/transports/errors.ts', 'daemon/transports/tls-options.ts', 'daemon/transports/revocation.ts'] },
  // Sources are components the supervisor runs, attached to the routing stage.
  { from: 'sources', to: 'lifecycle', files: ['daemon/lifecycle/component.ts', 'daemon/lifecycle/routing-stage.ts'] },
  { from: 'marti', to: 'lifecycle', files: ['daemon/lifecycle/component.ts'] },
  // The PKI: config reads its settings; the enrollment server uses the listeners' limits and door, TLS loader and revocation, and the Marti request-target parser.
  { from: 'config', to: 'pki', files: ['daemon/pki/settings.ts', 'daemon/pki/paths.ts'] },
  { from: 'pki', to: 'transports', files: ['daemon/transports/tls-options.ts', 'daemon/transports/revocation.ts', 'daemon/transports/listener-limits.ts', 'daemon/transports/http-door.ts', 'daemon/transports/errors.ts'] },
  { from: 'pki', to: 'marti', files: ['daemon/marti/target.ts'] },
  { from: 'pki', to: 'lifecycle', files: ['daemon/lifecycle/component.ts'] },
  // The console reads the status snapshot the publisher hands it, and nothing else of lifecycle.
  { from: 'console', to: 'lifecycle', files: ['daemon/lifecycle/status.ts', 'daemon/lifecycle/component.ts'] },
  // The hub implements what listeners see of it, and the client list the data-package server asks for.
  { from: 'hub', to: 'transports', files: ['daemon/transports/listener-hub.ts'] },
  { from: 'hub', to: 'marti', files: ['daemon/marti/client-directory.ts'] },
];

test('each part imports only the parts its row in MAY_IMPORT names', () => {
  const wrong: string[] = [];
  for (const file of [...sources('daemon'), ...sources('util'), ...sources('config'), ...sources('hal'), ...sources('native')]) {
    const from = partOf(file);
    assert.ok(from !== undefined, `${file} belongs to no part`);
    for (const spec of imports(file).filter((s) => s.startsWith('.'))) {
      const to = target(file, spec);
      const toPart = partOf(to);
      // Outside the parts: test/support helpers that hal's shared contract suites use.
      if (toPart === undefined || toPart === from) continue;
      if (!MAY_IMPORT[from].includes(toPart)) wrong.push(`${file} (${from}) imports ${to} (${toPart})`);
      const door = ONLY_THROUGH.find((rule) => rule.from === from && rule.to === toPart);
      if (door !== undefined && !door.files.includes(to)) wrong.push(`${file} (${from}) imports ${to}, not one of ${door.files.join(', ')}`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('util/ uses only node: built-ins and no import.meta (the single-binary bundle rewrites import.meta elsewhere only)', () => {
  for (const file of sources('util')) {
    for (const spec of imports(file)) assert.ok(spec.startsWith('./') || spec.startsWith('node:'), `${file} imports ${spec}`);
    assert.ok(!readFileSync(join(repoRoot, file), 'utf8').includes('import.meta'), `${file} uses import.meta`);
  }
});
