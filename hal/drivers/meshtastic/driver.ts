// The meshtastic driver row: a Meshtastic radio's stream API on serial (115200) or TCP
// (4403). A radio is a session (handshake, node table, packet ids), so every source opens its
// own MeshtasticClient with its own MeshtasticSession (open() below); the row's framer and
// decoder alone decode a capture, each decoder with a session of its own.
import type { CotEvent } from '../../../daemon/codec/event.js';
import type { Driver, DriverInstance, DriverOpenOptions, DriverSettings } from '../../contract.js';
import { MeshtasticFramer } from '../../framers/meshtastic.js';
import { numberSetting, stringSetting } from '../settings.js';
import { MeshtasticClient } from './client.js';
import { MeshtasticDecoder } from './decoder.js';
import type { MeshtasticMessage } from './messages.js';
import { MESH_PLI_INTERVAL_SECONDS, record } from './record.js';
import { MeshtasticSession } from './session.js';
import { createMeshtasticToCot } from './to-cot.js';

/** What a meshtastic source sends to the mesh. */
export type MeshSendKind = 'pli' | 'chat';
const MESH_SEND_DEFAULT: readonly MeshSendKind[] = ['pli', 'chat'];

/** `pli, chat` → ['pli', 'chat']; `none` → []; unset → the default. The loader checked the words. */
export function meshSendKinds(settings: DriverSettings): readonly MeshSendKind[] {
  const text = stringSetting(settings, 'send');
  if (text === undefined) return MESH_SEND_DEFAULT;
  const words = text.split(',').map((w) => w.trim().toLowerCase());
  return (['pli', 'chat'] as const).filter((kind) => words.includes(kind));
}

/** Which outbound kind a CoT event is, as the mesh carries it. */
function meshKind(event: CotEvent): MeshSendKind | undefined {
  if (event.type === 'b-t-f' || event.type.startsWith('b-t-f-')) return 'chat';
  if (event.type.startsWith('a-')) return 'pli';
  return undefined;
}

/** The table row. */
export const meshtasticDriver: Driver<Buffer, MeshtasticMessage> = {
  ...record,
  framer: () => new MeshtasticFramer(),
  decoder: () => new MeshtasticDecoder(new MeshtasticSession()),
  toCot: createMeshtasticToCot(),
  open: openMeshtastic,
  takesOwnPli: (settings) => meshSendKinds(settings).includes('pli'),
};

/**
 * One radio: a MeshtasticClient (its own session, so several radios never share handshake
 * state) that is a source (node PLI, GeoChat and TAK packets from the mesh) and a router
 * output (our own PLI and chosen CoT go to the mesh within the client's airtime budget).
 */
function openMeshtastic(options: DriverOpenOptions): DriverInstance<MeshtasticMessage> {
  const { id, url, providers, logger, settings } = options;
  const pliIntervalMs = (numberSetting(settings, 'pli_interval') ?? MESH_PLI_INTERVAL_SECONDS) * 1000;
  const client = new MeshtasticClient({ id, url, providers, logger, budget: { pliIntervalMs } });
  const chosen = new Set(meshSendKinds(settings));
  /** Offered by the router but not a kind this radio sends (`send = …`). */
  let notChosen = 0;
  const linkSource = client.source;
  return {
    source: {
      id,
      messages: () => client.messages(),
      status: () => linkSource.status(),
      write: (bytes) => linkSource.write(bytes),
      stop: () => client.stop(),
    },
    toCot: createMeshtasticToCot(),
    // What becomes of an offered event is counted where it happens: notChosen here,
    // refused.* in the client, airtime.* in the budget, radio.packetsSent.
    outbound: {
      send: (event) => {
        const kind = meshKind(event);
        if (kind === undefined || !chosen.has(kind)) {
          notChosen++;
          return false;
        }
        return client.send(event) === 'queued';
      },
      ready: () => client.session.configComplete,
    },
    counters: () => {
      const { refused, ...counters } = client.counters;
      return {
        ...Object.fromEntries(Object.entries(counters).map(([k, v]) => [`radio.${k}`, v])),
        ...Object.fromEntries(Object.entries(refused).map(([k, v]) => [`refused.${k}`, v])),
        ...Object.fromEntries(Object.entries(client.budget.counters).map(([k, v]) => [`airtime.${k}`, v])),
        'airtime.queued': client.budget.queued,
        notChosen,
      };
    },
    note: () => (client.session.configComplete ? undefined : 'handshake in progress'),
    stop: () => client.stop(),
  };
}
