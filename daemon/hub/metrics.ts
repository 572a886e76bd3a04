/** The hub's lines for /metrics: totals and client counts only, never a label per client (cardinality). */
import type { HubStatus } from './hub.js';

export function hubMetricLines(hub: HubStatus | undefined): string[] {
  if (hub === undefined) return [];
  const lines: string[] = [];
  const metric = (name: string, type: 'gauge' | 'counter', help: string, samples: [string, number][]): void => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) lines.push(`${name}${labels} ${value}`);
  };
  metric('takd_hub_clients', 'gauge', 'Clients connected to hub listeners.', [['', hub.clients]]);
  metric('takd_hub_clients_identified', 'gauge', 'Hub clients that have sent their own position (uid known).', [['', hub.identified]]);
  metric('takd_hub_queue_depth', 'gauge', 'Events waiting for hub clients, all clients together.', [['', hub.queueDepth]]);
  metric('takd_hub_replay_entries', 'gauge', 'Events held for SA replay.', [['', hub.replay.entries]]);
  metric('takd_hub_replay_bytes', 'gauge', 'Estimated bytes held for SA replay.', [['', hub.replay.bytes]]);
  metric('takd_hub_mailbox_events', 'gauge', 'Addressed events held for clients that are not connected.', [['', hub.mailbox.events]]);
  const c = hub.counters;
  metric('takd_hub_deliveries_total', 'counter', 'Events handed to hub clients, by why.', [
    ['{kind="broadcast"}', c.broadcast],
    ['{kind="addressed"}', c.addressed],
    ['{kind="team"}', c.team],
    ['{kind="replay"}', c.replayed],
    ['{kind="mailbox"}', c.mailboxDelivered],
  ]);
  metric('takd_hub_not_relayed_total', 'counter', 'Events the hub did not relay, by reason.', [
    ['{reason="control"}', c.control],
    ['{reason="duplicate"}', c.duplicate],
    ['{reason="unaddressed"}', c.unaddressed],
    ['{reason="identity_mismatch"}', c.identityMismatch],
    ['{reason="queue_dropped"}', c.queueDropped],
    ['{reason="mailbox_full"}', hub.mailbox.full],
    ['{reason="replay_evicted"}', hub.replay.evicted],
  ]);
  metric('takd_hub_queue_coalesced_total', 'counter', 'Positions replaced in a client queue by a newer one of the same uid.', [['', c.queueCoalesced]]);
  metric('takd_hub_clients_closed_total', 'counter', 'Hub clients closed by the hub, by reason.', [
    ['{reason="queue_full"}', c.closedQueueFull],
    ['{reason="identity_mismatch"}', c.identityMismatch],
  ]);
  return lines;
}
