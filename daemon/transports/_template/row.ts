// The template transport: copy this folder to start a transport, then add one row to the
// table in ../table.ts. It is a working send-only transport, `template://LABEL`, that keeps
// the uids of the last events sent in memory (transport.ts). Every slot of the row
// (../contract.ts TransportKind) is here, used or explained; hidden: true keeps it out of
// URLs, config and docs.
import type { TransportKind } from '../contract.js';
import { checkModifiers, fail } from '../url-parts.js';

/**
 * What the parser makes of a URL: a spec. `kind` names it (unique in the table: the row is
 * found again by it). A transport that both sends and receives also has `direction`
 * (directionOf(parts.url, parts.unique) reads +wo/+ro); one without only sends.
 */
export interface TemplateSpec {
  kind: 'template';
  label: string;
}

export const templateKind: TransportKind<TemplateSpec> = {
  // The scheme as written before any modifier (`tcp` of `tcp+listen+ro://`), lower case. `aliases`
  // would add other names for it (tls has ssl).
  scheme: 'template',
  // false: the URL has no +listen. A scheme that also listens (tcp, wss) has a second row
  // with listens: true; the parser below may serve both.
  listens: false,
  // The modifiers the scheme takes (wo, ro, listen, …); checkModifiers refuses the rest
  // with the usual message. This one takes none.
  modifiers: [],
  // The spec kinds parse() returns: how a parsed spec finds this row again (role, open).
  kinds: ['template'],
  // What the far end is to the router (daemon/routing/roles.ts): server, mesh, peers, sink
  // or fleet. It decides which events an output takes by default (`from` in the docs).
  role: 'sink',
  // false: it never receives (`takd listen` refuses it); true: it delivers received events
  // to options.onEvent.
  receives: false,
  // A line in `takd send --help` / `takd listen --help` and the docs: the URL's form, then
  // what it is.
  usage: 'template://LABEL',
  summary: 'keeps the uids of the last events sent (an example, not for use)',
  // A URL of this row that parses: the tests walk the table with it (one per row).
  example: 'template://box-1',
  // URL → spec. `parts` is the URL cut once (base scheme, modifiers, the rest after ://).
  // Throw through fail() (a TransportConfigError for key `url`) on anything wrong, and fill
  // in the defaults here, so the spec says everything.
  parse: (parts) => {
    checkModifiers(parts, templateKind.modifiers);
    if (!/^[a-z0-9-]{1,32}$/.test(parts.rest)) fail(parts.url, 'template:// takes a label of 1-32 lower-case letters, digits or -');
    return { kind: 'template', label: parts.rest };
  },
  // tls(spec): 'client' or 'server' when the transport loads TLS material, so that config
  // checks the files at load time (tls:// says 'client', tls+listen:// 'server').
  // The transport's own [output.*]/[input.*] keys: typed, checked by the config loader,
  // refused in a section whose URL is another transport's, documented under it.
  keys: [{ key: 'template_keep', type: { kind: 'integer', min: 1, max: 1000 }, default: 10, doc: 'template://: how many uids are kept' }],
  // The transport gets their values as options.own (parsed, defaults applied). A transport
  // whose settings are fields of the shared TransportOptions maps them in an `options`
  // slot instead (mqtt: mqtt_qos → options.mqtt.qos).
  // The code itself, loaded on first use: a configuration without this transport never
  // loads it (or its dependencies).
  load: async () => {
    const { TemplateTransport } = await import('./transport.js');
    return { create: (spec, options) => new TemplateTransport(spec, options) };
  },
  // Not offered to users: parseTransportUrl refuses template:// unless asked for hidden
  // rows, and docs leave it out. A real transport leaves this out.
  hidden: true,
};
