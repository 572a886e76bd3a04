// Tests make transports synchronously, as they did before the table loaded each
// transport's code on first use: every row's code is loaded once, here, before any test runs.
import { transportKinds, kindOf } from '../../daemon/transports/table.js';
import type { SpecBase, TransportModule } from '../../daemon/transports/contract.js';
import type { TransportOptions } from '../../daemon/transports/options.js';
import type { Transport } from '../../daemon/transports/types.js';
import { parseTransportUrl, type TransportSpec } from '../../daemon/transports/url.js';

const loaded = new Map<object, TransportModule<SpecBase>>();
for (const row of transportKinds) loaded.set(row, (await row.load()) as TransportModule<SpecBase>);

export function createTransportFromSpec(spec: TransportSpec, options: TransportOptions = {}): Transport {
  return (loaded.get(kindOf(spec)) as TransportModule<SpecBase>).create(spec, options);
}

/** Parses and builds (hidden rows, the template, included); throws TransportConfigError on a bad URL or option. */
export function createTransport(url: string, options: TransportOptions = {}): Transport {
  return createTransportFromSpec(parseTransportUrl(url, { hidden: true }), { ...options, name: options.name ?? url });
}
