// /usr/share/doc/takd/copyright (machine-readable format), generated from what is really
// inside the package: takd itself, every npm package esbuild put in the bundle (with its
// own license file), and, for the single binary, the Node.js runtime.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

interface PackageInfo {
  name: string;
  version: string;
  license: string;
  licenseText?: string;
}

function readPackage(dir: string): PackageInfo {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; version: string; license?: string };
  const licenseFile = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(f));
  return {
    name: pkg.name,
    version: pkg.version,
    license: pkg.license ?? 'see-license-text',
    licenseText: licenseFile ? readFileSync(join(dir, licenseFile), 'utf8') : undefined,
  };
}

/**
 * A dual-licensed package (node-forge: BSD-3-Clause OR GPL-2.0) is shipped under its
 * permissive choice, and its file's GPL text (Debian keeps it in common-licenses; lintian
 * refuses a full copy) is left out.
 */
function permissiveChoice(info: PackageInfo): PackageInfo & { choice?: string } {
  const options = info.license.replace(/[()]/g, '').split(/\s+OR\s+/);
  const permissive = options.find((o) => /^(MIT|ISC|BSD-[23]-Clause|Apache-2\.0)$/.test(o));
  if (options.length < 2 || permissive === undefined || info.licenseText === undefined) return info;
  const gpl = info.licenseText.search(/^-+\s*\n\s*GNU GENERAL PUBLIC LICENSE/m);
  return { ...info, license: permissive, choice: info.license, licenseText: gpl < 0 ? info.licenseText : info.licenseText.slice(0, gpl) };
}

/** DEP-5 continuation lines: indented, blank lines as " .". */
function indent(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((line) => (line.trim() === '' ? ' .' : ` ${line.trimEnd()}`))
    .join('\n');
}

export interface CopyrightOptions {
  repoRoot: string;
  packageDirs: string[];
  /** The Node.js runtime inside /usr/bin/takd, when the package carries it. */
  nodeRuntime?: { version: string; licensePath: string };
}

export function copyrightFile(options: CopyrightOptions): string {
  const stanzas: string[] = [
    [
      'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/',
      'Upstream-Name: takd',
      'Comment: /usr/bin/takd carries the JavaScript of the npm packages listed below (one',
      ' bundle made with esbuild) and native addons of @serialport/bindings-cpp and takd.',
    ].join('\n'),
    ['Files: *', 'Copyright: takd contributors', 'License: Apache-2.0'].join('\n'),
  ];
  for (const dir of options.packageDirs) {
    const info = permissiveChoice(readPackage(resolve(options.repoRoot, dir)));
    const chosen = info.choice === undefined ? '' : ` (licensed ${info.choice}; used under ${info.license})`;
    const lines = [`Files: bundled/npm/${info.name}`, `Comment: ${info.name} ${info.version}, bundled into /usr/bin/takd${chosen}`, `License: ${info.license}`];
    // Apache-2.0 is in /usr/share/common-licenses (the stand-alone stanza below points there).
    if (info.licenseText && info.license !== 'Apache-2.0') lines.push(indent(info.licenseText));
    stanzas.push(lines.join('\n'));
  }
  // Node's LICENSE holds the licenses of every library Node bundles (some GPL and Apache
  // texts among them), so it ships as its own file rather than inline.
  if (options.nodeRuntime) {
    stanzas.push(
      [
        'Files: bundled/nodejs',
        `Comment: the Node.js ${options.nodeRuntime.version} runtime that /usr/bin/takd is built on`,
        'License: Node.js',
        ` Node.js is MIT-licensed; it and the libraries it includes are listed with their`,
        ` full license texts in ${options.nodeRuntime.licensePath}.`,
      ].join('\n'),
    );
  }
  stanzas.push(['License: Apache-2.0', ' On Debian systems the full text is in /usr/share/common-licenses/Apache-2.0.'].join('\n'));
  return `${stanzas.join('\n\n')}\n`;
}
