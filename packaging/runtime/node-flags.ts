/**
 * V8 settings takd runs with: the single binary embeds them (SEA execArgv), the armhf
 * launcher passes them to Debian's node, and the relay benchmark starts `takd run` with
 * them, so what is measured is what ships. Every one of them exists in Node 18 and later.
 *
 * - `--single-threaded`: no V8 helper threads (concurrent marking, parallel scavenges,
 *   background compilation). takd relays on one thread anyway; the helpers each grew a
 *   malloc arena that stayed resident. Relaying a flood of ATAK PLI, peak RSS fell by
 *   6–7 MiB on Node 20 and by 7–20 MiB on the Node 24 of the binary, at the same or lower
 *   CPU time per event, with p99 latency at 1,000 events/s unchanged (BENCHMARKS.md).
 * - `--max-semi-space-size`, `--max-old-space-size`: V8's defaults suit a desktop; a busy
 *   heap may grow its young generation to 16 MiB per semi-space and let garbage pile up in
 *   the old one. With the defaults a flood peaked at ~150 MiB resident, ~95 MiB with these
 *   two. 256 MiB of old space is far above what takd's bounded queues and maps hold.
 */
export const NODE_V8_FLAGS: readonly string[] = ['--single-threaded', '--max-semi-space-size=2', '--max-old-space-size=256'];
