/**
 * Preloaded (`node -r`) into the server child only when BENCH_CPU_PROF is set: turns SIGTERM/SIGINT
 * into process.exit(0) so that `--cpu-prof` gets to write its profile (a signal death writes none).
 */
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => process.exit(0));
