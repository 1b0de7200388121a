import { Presets, SingleBar } from 'cli-progress';

/** A progress bar, or nothing when nobody watches. */
export interface Progress {
  readonly shown: boolean;
  start(total: number): void;
  update(value: number, total?: number): void;
  stop(): void;
}

const NONE: Progress = { shown: false, start: () => undefined, update: () => undefined, stop: () => undefined };

/**
 * A bar on stderr — never stdout, which carries what the command prints (NDJSON, tables) — shown
 * when stderr is a terminal, or when asked for (`--progress`, e.g. into a CI log).
 */
export function progress(label: string, unit: string, forced: boolean): Progress {
  if (!forced && !process.stderr.isTTY) return NONE;
  const bar = new SingleBar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {duration_formatted}`, stream: process.stderr, noTTYOutput: true, notTTYSchedule: 1000 },
    Presets.shades_classic,
  );
  return {
    shown: true,
    start: (total) => bar.start(Math.max(total, 1), 0),
    update: (value, total) => {
      if (total !== undefined) bar.setTotal(Math.max(total, value, 1));
      bar.update(value);
    },
    stop: () => bar.stop(),
  };
}

/**
 * The store position of the last complete NDJSON line seen so far (each exported envelope ends with
 * its `position`), fed chunk by chunk: how far an export has come.
 */
export function lastPositionReader(): (chunk: Uint8Array) => number | undefined {
  const decoder = new TextDecoder();
  let carry = '';
  let last: number | undefined;
  return (chunk) => {
    const text = carry + decoder.decode(chunk, { stream: true });
    const end = text.lastIndexOf('\n');
    if (end < 0) {
      carry = text;
      return last;
    }
    carry = text.slice(end + 1);
    const line = text.slice(text.lastIndexOf('\n', end - 1) + 1, end);
    const match = /"position":(\d+)\}$/.exec(line);
    if (match) last = Number(match[1]);
    return last;
  };
}
