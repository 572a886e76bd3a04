/**
 * `[status] tiles`: a raster tile server's URL template for the console map, e.g.
 * `https://tiles.example.org/{z}/{x}/{y}.png`. Parsed here (config owns its values) so the
 * HTTP endpoint can put exactly this origin, and no other, in the page's CSP.
 */
export interface TileUrl {
  /** The template as given, with {z}, {x} and {y}. */
  template: string;
  /** scheme://host[:port], what the page's Content-Security-Policy allows images from. */
  origin: string;
}

export function parseTileUrl(text: string): TileUrl {
  const template = text.trim();
  if (/[\s\x00-\x1f\x7f]/.test(template)) throw new Error('a tile URL has no spaces or control characters');
  for (const part of ['{z}', '{x}', '{y}']) {
    if (!template.includes(part)) throw new Error(`a tile URL needs ${part}, e.g. https://tiles.example.org/{z}/{x}/{y}.png`);
  }
  let url: URL;
  try {
    url = new URL(template.replaceAll('{z}', '0').replaceAll('{x}', '0').replaceAll('{y}', '0'));
  } catch {
    throw new Error(`'${template.slice(0, 100)}' is not a URL (e.g. https://tiles.example.org/{z}/{x}/{y}.png)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`a tile URL is http:// or https://, not ${url.protocol}`);
  if (url.username !== '' || url.password !== '') throw new Error('a tile URL carries no user name or password (the page would show them to anyone)');
  // The braces must be placeholders in the path or query only: the origin is what the CSP names.
  if (/[{}]/.test(template.slice(0, template.indexOf(url.host) + url.host.length))) throw new Error('{z}, {x} and {y} go in the path or query, not the host');
  return { template, origin: url.origin };
}
