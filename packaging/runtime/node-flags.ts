/**
 * V8 heap settings takd runs with: the single binary embeds them (SEA execArgv), the armhf
 * launcher passes them to Debian's node, and the relay benchmark starts `takd run` with
 * them, so what is measured is what ships.
 *
 * V8's defaults suit a desktop: a busy heap may grow its young generation to 16 MiB per
 * semi-space and let garbage pile up in the old one for a long while. Relaying a flood of
 * 100,000 events, `takd run` peaked at ~150 MiB resident with the defaults and ~95 MiB with
 * these, at the same CPU time per event (BENCHMARKS.md). The 256 MiB old-space limit is far
 * above what takd's bounded queues and maps hold for a handful of outputs.
 */
export const NODE_HEAP_FLAGS: readonly string[] = ['--max-semi-space-size=2', '--max-old-space-size=256'];
