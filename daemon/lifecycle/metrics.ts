/** A status snapshot in the Prometheus text exposition format (version 0.0.4). */
import { hubMetricLines } from '../hub/metrics.js';
import { routerMetricLines } from '../routing/metrics.js';
import { isHealthy, type StatusSnapshot } from './status.js';

function label(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

const STATES = ['starting', 'connected', 'retrying', 'failed', 'ended', 'stopped'] as const;

export function prometheusText(snapshot: StatusSnapshot): string {
  const lines: string[] = [];
  const metric = (name: string, type: 'gauge' | 'counter', help: string, samples: [string, number][]): void => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) lines.push(`${name}${labels} ${Number.isFinite(value) ? value : 'NaN'}`);
  };
  metric('takd_up', 'gauge', '1 when takd is healthy (as /health).', [['', isHealthy(snapshot) ? 1 : 0]]);
  metric('takd_uptime_seconds', 'gauge', 'Seconds since start.', [['', snapshot.uptimeSeconds]]);
  metric('takd_gps_fix', 'gauge', 'GPS fix mode: 0 none, 2 2D, 3 3D.', [['', snapshot.gps.fix === '3d' ? 3 : snapshot.gps.fix === '2d' ? 2 : 0]]);
  if (snapshot.gps.ageSeconds !== undefined) metric('takd_gps_fix_age_seconds', 'gauge', 'Seconds since the last position fix.', [['', snapshot.gps.ageSeconds]]);
  metric('takd_events_in_total', 'counter', 'Events received from sources and inputs.', [['', snapshot.counters.eventsIn]]);
  metric('takd_events_out_total', 'counter', 'Events handed to outputs.', [['', snapshot.counters.eventsOut]]);
  metric('takd_events_dropped_total', 'counter', 'Events dropped, by reason.', Object.entries(snapshot.counters.dropped).map(([reason, n]) => [`{reason="${label(reason)}"}`, n]));
  metric(
    'takd_component_state',
    'gauge',
    '1 for the current state of each source, input and output.',
    snapshot.components.flatMap((c) => STATES.map((s): [string, number] => [`{id="${label(c.id)}",kind="${c.kind}",state="${s}"}`, c.state === s ? 1 : 0])),
  );
  metric('takd_queue_depth', 'gauge', 'Events waiting in each output queue.', snapshot.components.filter((c) => c.queueDepth !== undefined).map((c) => [`{id="${label(c.id)}"}`, c.queueDepth as number]));
  const counterSamples = snapshot.components.flatMap((c) => Object.entries(c.counters).map(([name, n]): [string, number] => [`{id="${label(c.id)}",counter="${label(name)}"}`, n]));
  metric('takd_component_counter', 'counter', 'Per-component counters (events, connects, decode errors).', counterSamples);
  const proc = snapshot.process;
  if (proc !== undefined) {
    metric('takd_process_resident_memory_bytes', 'gauge', 'Resident memory (RSS) of the takd process.', [['', proc.rssBytes]]);
    metric('takd_process_heap_used_bytes', 'gauge', 'V8 heap in use.', [['', proc.heapUsedBytes]]);
    metric('takd_process_heap_total_bytes', 'gauge', 'V8 heap allocated.', [['', proc.heapTotalBytes]]);
    metric('takd_process_external_bytes', 'gauge', 'Memory of buffers and other objects outside the V8 heap.', [['', proc.externalBytes]]);
    metric('takd_process_active_resources', 'gauge', 'Handles keeping the event loop alive (sockets, servers, timers, files).', [['', proc.activeResources]]);
    metric('takd_process_cpu_seconds_total', 'counter', 'CPU time of the takd process, by mode.', [['{mode="user"}', proc.cpuUserSeconds], ['{mode="system"}', proc.cpuSystemSeconds]]);
    metric('takd_process_heap_trims_total', 'counter', 'Full collections made to give back heap a burst of events grew.', [['', proc.heapTrims]]);
    metric('takd_process_heap_resident_trims_total', 'counter', 'Of those collections, the ones for pages a burst left resident (RssAnon 4 MiB above its lowest of the last 5 minutes).', [['', proc.heapResidentTrims]]);
    metric('takd_process_heap_kept_total', 'counter', 'Times the heap grew back soon after such a collection and its size was kept as the working set.', [['', proc.heapKept]]);
    const delay = proc.eventLoopDelay;
    if (delay !== undefined) metric('takd_event_loop_delay_seconds', 'gauge', `Event-loop delay over the last ${delay.windowSeconds} s, by quantile.`, [['{quantile="0.5"}', delay.p50Ms / 1000], ['{quantile="0.99"}', delay.p99Ms / 1000], ['{quantile="1"}', delay.maxMs / 1000]]);
  }
  const door = snapshot.http;
  if (door !== undefined) {
    metric('takd_http_connections', 'gauge', 'Connections to the HTTP endpoint now, and those inside their TLS handshake.', [['{state="open"}', door.connections ?? 0], ['{state="handshaking"}', door.handshaking ?? 0]]);
    const refusals = Object.entries(door).filter(([name]) => name.includes('.'));
    metric('takd_http_refused_total', 'counter', 'Connections to the HTTP endpoint refused, by reason (refused.*, and tlsRefused.* over HTTPS).', refusals.map(([name, n]) => [`{reason="${label(name)}"}`, n]));
  }
  lines.push(...routerMetricLines(snapshot.router));
  lines.push(...hubMetricLines(snapshot.hub));
  return `${lines.join('\n')}\n`;
}
