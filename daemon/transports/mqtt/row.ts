// mqtt:// and mqtts://: a fleet of boxes sharing one broker (PyTAK's MQTT), the topic in the
// URL's path; the implementation is mqtt-transport.ts (mqtt.js itself loads on start).
import type { TransportKey, TransportKeyValues, TransportKind, UrlParts } from '../contract.js';
import type { TransportOptions } from '../options.js';
import type { MqttSettings } from './mqtt-transport.js';
import { checkClientPort, checkModifiers, directionOf, fail, splitAuthority } from '../url-parts.js';
import type { Direction } from '../url.js';

/** mqtt:// and mqtts://: the topic is the URL path (PyTAK). */
export interface MqttSpec {
  kind: 'mqtt' | 'mqtts';
  host: string;
  port: number;
  /** Publish topic, and the subscription unless `subscribe` is given (wildcards + and #: +ro only). */
  topic: string;
  /** `?subscribe=FILTER`: the subscription (e.g. tak/fleet1/+/cot) when it differs from the topic. */
  subscribe?: string;
  direction: Direction;
  /** From the URL's userinfo (%-decoded); MQTT_USERNAME / MQTT_PASSWORD otherwise. */
  username?: string;
  password?: string;
}

export const MQTT_PORTS = { mqtt: 1883, mqtts: 8883 } as const;

function parseMqtt(parts: UrlParts): MqttSpec {
  const { url, rest } = parts;
  const kind = parts.base as 'mqtt' | 'mqtts';
  checkModifiers(parts, ['wo', 'ro']);
  const direction = directionOf(url, parts.unique);
  const [beforeQuery = '', query] = rest.split('?', 2) as [string, string | undefined];
  const slash = beforeQuery.indexOf('/');
  const authorityPart = slash < 0 ? beforeQuery : beforeQuery.slice(0, slash);
  const path = slash < 0 ? '' : beforeQuery.slice(slash + 1);
  const params = new URLSearchParams(query ?? '');
  for (const key of params.keys()) {
    if (key !== 'subscribe') fail(url, `unknown parameter '${key}' (allowed: subscribe)`);
  }
  const at = authorityPart.lastIndexOf('@');
  const userinfo = at < 0 ? undefined : authorityPart.slice(0, at);
  const { host, port } = splitAuthority(url, at < 0 ? authorityPart : authorityPart.slice(at + 1), MQTT_PORTS[kind]);
  checkClientPort(url, port);
  let topic: string;
  try {
    topic = decodeURIComponent(path);
  } catch {
    fail(url, 'bad %-escape in the topic');
  }
  if (topic === '') fail(url, `missing topic: ${kind}://host:${MQTT_PORTS[kind]}/TOPIC`);
  const wildcard = /[+#]/.test(topic);
  if (wildcard && direction !== 'receive') fail(url, `the topic '${topic}' has a wildcard: only ${kind}+ro:// can subscribe to it (publish to a plain topic)`);
  const spec: MqttSpec = { kind, host, port, topic, direction };
  const subscribe = params.get('subscribe');
  if (subscribe !== null) {
    if (subscribe === '') fail(url, 'empty subscribe filter');
    if (direction === 'send') fail(url, 'subscribe= on a +wo URL, which subscribes to nothing');
    spec.subscribe = subscribe;
  }
  if (userinfo !== undefined) {
    const colon = userinfo.indexOf(':');
    try {
      spec.username = decodeURIComponent(colon < 0 ? userinfo : userinfo.slice(0, colon));
      if (colon >= 0) spec.password = decodeURIComponent(userinfo.slice(colon + 1));
    } catch {
      fail(url, 'bad %-escape in the user or password');
    }
  }
  return spec;
}

/** MQTT_* as PyTAK names them; the transport applies its own defaults (MQTT_DEFAULTS). */
const MQTT_KEYS: readonly TransportKey[] = [
  { key: 'mqtt_qos', type: { kind: 'enum', values: ['0', '1', '2'] }, default: '0', doc: 'QoS of publishes and the subscription; above 0 the session is persistent (the broker keeps what arrives while we are away) and unacknowledged publishes go again after a reconnect', pytak: 'MQTT_QOS' },
  { key: 'mqtt_keepalive', type: { kind: 'integer', min: 0, max: 65_535, unit: 's' }, default: 60, doc: 'MQTT keepalive (the broker drops us after 1.5 times this in silence)', pytak: 'MQTT_KEEPALIVE' },
  { key: 'mqtt_client_id', type: { kind: 'string' }, defaultText: 'takd-<our uid>', doc: 'MQTT client id; unique per box on one broker', pytak: 'MQTT_CLIENT_ID' },
  { key: 'mqtt_username', type: { kind: 'string' }, doc: 'user name, when the URL has none', pytak: 'MQTT_USERNAME' },
  { key: 'mqtt_password', type: { kind: 'string' }, secret: true, doc: 'password, when the URL has none', pytak: 'MQTT_PASSWORD' },
];

/** The keys' values → TransportOptions.mqtt (a key not given stays out). */
function mqttOptions(values: TransportKeyValues): Partial<TransportOptions> {
  const text = (key: string): string | undefined => (values[key] === undefined || values[key] === '' ? undefined : String(values[key]));
  const settings: MqttSettings = {};
  if (values.mqtt_qos !== undefined) settings.qos = Number(values.mqtt_qos) as 0 | 1 | 2;
  if (values.mqtt_keepalive !== undefined) settings.keepaliveS = Number(values.mqtt_keepalive);
  const clientId = text('mqtt_client_id');
  const username = text('mqtt_username');
  const password = text('mqtt_password');
  if (clientId !== undefined) settings.clientId = clientId;
  if (username !== undefined) settings.username = username;
  if (password !== undefined) settings.password = password;
  return Object.keys(settings).length > 0 ? { mqtt: settings } : {};
}

function mqttRow(scheme: 'mqtt' | 'mqtts'): TransportKind<MqttSpec> {
  return {
    scheme,
    listens: false,
    modifiers: ['wo', 'ro'],
    kinds: [scheme],
    role: 'fleet',
    receives: true,
    usage: scheme === 'mqtt' ? 'mqtt://[USER:PASS@]HOST:1883/TOPIC' : 'mqtts://HOST:8883/TOPIC',
    example: `${scheme}://broker.example.org:${MQTT_PORTS[scheme]}/tak/fleet1/cot`,
    summary: scheme === 'mqtt' ? 'a fleet of boxes on one MQTT broker (+wo publish only, +ro subscribe; wildcards on +ro)' : 'the same over TLS',
    parse: parseMqtt,
    keys: MQTT_KEYS,
    options: mqttOptions,
    load: async () => {
      const { MqttTransport } = await import('./mqtt-transport.js');
      return { create: (spec, options) => new MqttTransport(spec, options) };
    },
  };
}

export const mqttKind = mqttRow('mqtt');
export const mqttsKind = mqttRow('mqtts');
