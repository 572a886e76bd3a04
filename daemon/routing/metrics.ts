/** The router's counters in the Prometheus text format, for /metrics. */
import type { OutputStatus, RouterStatus } from './router.js';

function label(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export function routerMetricLines(status: RouterStatus): string[] {
  const lines: string[] = [
    '# HELP takd_router_events_total Events offered to the router, by outcome.',
    '# TYPE takd_router_events_total counter',
  ];
  for (const [reason, value] of Object.entries(status.counters)) lines.push(`takd_router_events_total{reason="${reason}"} ${value}`);
  lines.push('# HELP takd_output_events_total Events per output, by what happened to them.', '# TYPE takd_output_events_total counter');
  for (const output of status.outputs) {
    for (const [reason, value] of Object.entries(output.counters)) {
      lines.push(`takd_output_events_total{output="${label(output.name)}",reason="${reason}"} ${value}`);
    }
  }
  lines.push('# HELP takd_output_pending Events waiting per output (memory and durable queue).', '# TYPE takd_output_pending gauge');
  for (const output of status.outputs) lines.push(`takd_output_pending{output="${label(output.name)}"} ${output.pending}`);
  lines.push('# HELP takd_output_stored Events in the durable queue per output.', '# TYPE takd_output_stored gauge');
  for (const output of status.outputs) lines.push(`takd_output_stored{output="${label(output.name)}"} ${output.stored}`);
  const stores = status.outputs.filter((output) => output.store !== undefined);
  if (stores.length > 0) {
    const store = (help: string, name: string, value: (s: NonNullable<OutputStatus['store']>) => number): void => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
      for (const output of stores) lines.push(`${name}{output="${label(output.name)}"} ${value(output.store as NonNullable<OutputStatus['store']>)}`);
    };
    store('Undelivered events the durable queue found on disk when it opened.', 'takd_output_store_recovered', (s) => s.recovered);
    store('Bytes the durable queue cut off when it opened (torn or corrupt records and all after them).', 'takd_output_store_torn_bytes', (s) => s.tornBytes);
    store('Segment files the durable queue cut when it opened.', 'takd_output_store_torn_segments', (s) => s.tornSegments);
  }
  return lines;
}
