import { SingleBar, Presets } from 'cli-progress';
import { Command, CommanderError, Option } from 'commander';
import { confirmed } from './confirm';
import { call, callJson, CliError, Connection, EXIT, query } from './http';
import { json, table } from './print';
import { lastPositionReader, progress } from './progress';

/**
 * The ops CLI over the /ops routes (distributor-admin token): `npm run -s ops -- <command>`.
 * Everything that moves messages shows a dry-run count first and goes on only when confirmed.
 */
interface ProjectionRow {
  service: string;
  name: string;
  state: string;
  version: number;
  checkpoint: number;
  lag: number;
  lastError: { message: string } | null;
  progress?: { version: number; step?: string; collection?: string; done: number; total?: number };
  indexing?: { collection: string; since: string };
}

/** A rebuild's step, with the collection it indexes. */
const stepOf = ({ step, collection }: NonNullable<ProjectionRow['progress']>): string => [step, collection].filter(Boolean).join(' ');

/** A rebuild's count and step, or the indexes a start is making (lists sorted by a new field are slow until made). */
function progressOf({ progress, indexing }: ProjectionRow): string {
  if (progress) return `${progress.done}/${progress.total ?? '?'} ${stepOf(progress)}`.trimEnd();
  return indexing ? `indexing ${indexing.collection} since ${indexing.since}` : '';
}

const program = new Command('ops')
  .description('Operate the licence platform: projections, dead letters, republish, rewind, audit export')
  .addOption(new Option('--url <url>', 'the service (or gateway) to talk to').default('http://localhost:3000'))
  .addOption(new Option('--token <token>', 'a distributor-admin bearer token').env('OPS_TOKEN'))
  .option('--json', 'print JSON instead of tables')
  .option('--progress', 'progress bars on stderr even when it is not a terminal (they show on a terminal anyway)')
  .addHelpText(
    'after',
    `\nExit codes: ${EXIT.ok} done, ${EXIT.refused} refused by the API (4xx), ${EXIT.usage} bad command line, ` +
      `${EXIT.unavailable} server unreachable or failing, ${EXIT.notConfirmed} dry run not confirmed (use --yes), ` +
      `${EXIT.token} no token, or one the API refused (401/403).`,
  )
  .exitOverride()
  .showHelpAfterError();

const connection = (): Connection => {
  const { url, token } = program.opts<{ url: string; token?: string }>();
  return { url, token };
};
const asJson = () => program.opts<{ json?: boolean }>().json === true;
const progressForced = () => program.opts<{ progress?: boolean }>().progress === true;
const out = (text: string): void => void process.stdout.write(`${text}\n`);
const say = (text: string): void => void process.stderr.write(`${text}\n`);
/** `--from 42` is a store position, anything else an instant. */
const positionOrInstant = (value: string) => (/^\d+$/.test(value) ? { position: Number(value) } : { instant: value });

// ---- projections ----

const projections = program.command('projections').description('list projections: state, version, checkpoint, lag, last error');
projections.action(async () => {
  const { items } = await callJson<{ items: ProjectionRow[] }>(connection(), 'GET', '/ops/projections');
  if (asJson()) return out(json(items));
  const rows = items.map((row) => ({ ...row, lastError: row.lastError?.message ?? '', progress: progressOf(row) }));
  out(table(rows, ['service', 'name', 'state', 'version', 'checkpoint', 'lag', 'progress', 'lastError']));
});

projections
  .command('rebuild <name>')
  .description('rebuild blue/green: the live version answers until the new one has caught up (progress bar on stderr)')
  .option('--interval <ms>', 'how often to poll the progress', '250')
  .action(async (name: string, options: { interval: string }) => {
    const started = await callJson<{ version: number }>(connection(), 'POST', `/ops/projections/${encodeURIComponent(name)}/rebuild?wait=false`);
    const bar = new SingleBar({ format: `${name} [{bar}] {value}/{total} events | {state}`, stream: process.stderr, noTTYOutput: true, notTTYSchedule: 1000 }, Presets.shades_classic);
    bar.start(1, 0, { state: 'rebuilding' });
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, Number(options.interval)));
      const { items } = await callJson<{ items: ProjectionRow[] }>(connection(), 'GET', '/ops/projections');
      const row = items.find((candidate) => candidate.name === name);
      if (!row) throw new CliError(`projection ${name} disappeared`, EXIT.unavailable);
      if (row.progress) {
        bar.setTotal(Math.max(row.progress.total ?? row.progress.done, row.progress.done, 1));
        // A rebuild's step (clearing, filling, indexing, promoting) beside its state: its indexes over 1M orders
        // take seconds in which the count no longer moves.
        bar.update(row.progress.done, { state: row.progress.step ? `${row.state}: ${stepOf(row.progress)}` : row.state });
        continue;
      }
      bar.update(bar.getTotal(), { state: row.state });
      bar.stop();
      if (row.state !== 'running' || row.version < started.version) {
        throw new CliError(`rebuild of ${name} did not finish: ${row.state}${row.lastError ? ` (${row.lastError.message})` : ''}`, EXIT.unavailable);
      }
      return asJson() ? out(json(row)) : out(`${name}: version ${row.version} is live, checkpoint ${row.checkpoint}, lag ${row.lag}`);
    }
  });

// ---- dead letters ----

const dlq = program.command('dlq').description('dead letters: messages a consumer group parked after its retries');
const DLQ_COLUMNS = ['id', 'topic', 'groupId', 'key', 'eventType', 'attempts', 'lastFailureAt', 'status', 'error'];

dlq
  .command('list')
  .option('--topic <topic>')
  .option('--group <groupId>')
  .option('--key <key>')
  .addOption(new Option('--status <status>').choices(['parked', 'redriven', 'discarded', 'all']).default('parked'))
  .option('--limit <n>', 'at most this many', '100')
  .action(async (options: { topic?: string; group?: string; key?: string; status: string; limit: string }) => {
    const path = `/ops/dlq${query({ topic: options.topic, groupId: options.group, key: options.key, status: options.status, limit: options.limit })}`;
    const page = await callJson<{ items: Record<string, unknown>[]; total: number }>(connection(), 'GET', path);
    if (asJson()) return out(json(page));
    out(table(page.items, DLQ_COLUMNS));
    say(`${page.items.length} of ${page.total}`);
  });

dlq
  .command('show <id>')
  .action(async (id: string) => out(json(await callJson(connection(), 'GET', `/ops/dlq/${encodeURIComponent(id)}`))));

type DeadLetterRow = { topic: string; groupId: string; key: string } & Record<string, unknown>;

/** The dry run's letters as one re-drive selection per topic, group and key, in the order they appear. */
function byKey(items: DeadLetterRow[]): { topic: string; groupId: string; key: string; stopAt: number }[] {
  const steps = new Map<string, { topic: string; groupId: string; key: string; stopAt: number }>();
  for (const { topic, groupId, key } of items) {
    const id = JSON.stringify([topic, groupId, key]);
    const step = steps.get(id) ?? { topic, groupId, key, stopAt: 0 };
    step.stopAt++;
    steps.set(id, step);
  }
  return [...steps.values()];
}

dlq
  .command('redrive')
  .description('re-drive parked messages to the group that parked them (dry-run count first)')
  .option('--topic <topic>')
  .option('--group <groupId>')
  .option('--key <key>')
  .option('--stop-at <n>', 'move at most this many (oldest first)')
  .option('-y, --yes', 'do it without asking')
  .action(async (options: { topic?: string; group?: string; key?: string; stopAt?: string; yes?: boolean }) => {
    const selection = { topic: options.topic, groupId: options.group, key: options.key, ...(options.stopAt && { stopAt: Number(options.stopAt) }) };
    const dryRun = await callJson<{ count: number; items: DeadLetterRow[] }>(connection(), 'POST', '/ops/dlq/redrive', selection);
    if (dryRun.count === 0) return say('Nothing to re-drive.');
    say(table(dryRun.items, ['id', 'topic', 'groupId', 'key', 'eventType']));
    await confirmed(`${dryRun.count} dead letter(s) will be re-driven.`, options.yes === true);
    const bar = progress('redrive', 'dead letters', progressForced());
    // Nobody watches: one request. Watched: one request per key of the dry run (with as many of the
    // key's letters as the dry run listed), so the bar moves and a key's letters still go together, in order.
    const steps = bar.shown ? byKey(dryRun.items) : [];
    const moved: DeadLetterRow[] = [];
    bar.start(dryRun.count);
    for (const step of steps.length ? steps : [selection]) {
      moved.push(...(await callJson<{ items: DeadLetterRow[] }>(connection(), 'POST', '/ops/dlq/redrive', { ...step, confirm: true })).items);
      bar.update(moved.length);
    }
    bar.stop();
    asJson() ? out(json({ dryRun: false, count: moved.length, items: moved })) : out(`${moved.length} dead letter(s) re-driven.`);
  });

dlq
  .command('discard <id>')
  .description('drop a parked message for good (journalled with who and why)')
  .requiredOption('--reason <text>', 'why it is dropped')
  .action(async (id: string, options: { reason: string }) => {
    const discarded = await callJson(connection(), 'POST', `/ops/dlq/${encodeURIComponent(id)}/discard`, { reason: options.reason });
    asJson() ? out(json(discarded)) : out(`${id} discarded.`);
  });

// ---- republish, rewind ----

program
  .command('republish')
  .description("re-send a topic's stored events (original ids, header replay: true) for a new subscriber (dry-run count first)")
  .requiredOption('--topic <topic>', 'e.g. order.events')
  .option('--from <position|instant>', 'after a store position, or from an ISO instant')
  .option('--stream <streamId>', 'one stream only')
  .option('--step <n>', 'events sent per request (the steps of the progress bar)', '1000')
  .option('-y, --yes', 'do it without asking')
  .action(async (options: { topic: string; from?: string; stream?: string; step: string; yes?: boolean }) => {
    const from = options.from ? positionOrInstant(options.from) : {};
    const body = { topic: options.topic, stream: options.stream, ...('position' in from ? { fromPosition: from.position } : 'instant' in from ? { from: from.instant } : {}) };
    const dryRun = await callJson<{ count: number }>(connection(), 'POST', '/ops/republish', body);
    const stepSize = Number(options.step);
    if (!Number.isInteger(stepSize) || stepSize < 1) throw new CliError('republish: --step is a whole number of events, at least 1', EXIT.usage);
    if (dryRun.count === 0) return say('Nothing to republish.');
    await confirmed(`${dryRun.count} event(s) of ${options.topic} will be republished.`, options.yes === true);
    // In steps, each going on after the last event sent, so the bar follows them. The store only grows
    // at its end, so the first `count` events from the start are the ones confirmed: never more.
    const bar = progress(`republish ${options.topic}`, 'events', progressForced());
    bar.start(dryRun.count);
    let count = 0;
    for (let next = body; count < dryRun.count; ) {
      const limit = Math.min(stepSize, dryRun.count - count);
      const step = await callJson<{ count: number; lastPosition: number | null }>(connection(), 'POST', '/ops/republish', { ...next, limit, confirm: true });
      count += step.count;
      bar.update(count);
      if (step.count < limit || step.lastPosition === null) break;
      next = { ...next, fromPosition: step.lastPosition };
    }
    bar.stop();
    asJson() ? out(json({ dryRun: false, topic: options.topic, count })) : out(`${count} event(s) republished on ${options.topic}.`);
  });

program
  .command('consumers')
  .description('reactors and consumer groups that can be rewound')
  .action(async () => {
    const { items } = await callJson<{ items: Record<string, unknown>[] }>(connection(), 'GET', '/ops/consumers');
    asJson() ? out(json(items)) : out(table(items, ['service', 'name', 'kind', 'checkpoint', 'groupId', 'topics']));
  });

program
  .command('rewind <consumer>')
  .description('make a reactor or consumer group handle events again from a position or instant (dry-run count first)')
  .requiredOption('--to <position|instant>', 'a store position / partition offset, or an ISO instant')
  .option('-y, --yes', 'do it without asking')
  .action(async (consumer: string, options: { to: string; yes?: boolean }) => {
    const to = positionOrInstant(options.to);
    const body = 'position' in to ? { toPosition: to.position } : { toInstant: to.instant };
    const path = `/ops/consumers/${encodeURIComponent(consumer)}/rewind`;
    const dryRun = await callJson<{ count: number }>(connection(), 'POST', path, body);
    await confirmed(`${consumer} will handle ${dryRun.count} event(s) again.`, options.yes === true);
    const done = await callJson<{ count: number }>(connection(), 'POST', path, { ...body, confirm: true });
    asJson() ? out(json(done)) : out(`${consumer} rewound: ${done.count} event(s) to handle again.`);
  });

// ---- audit export ----

program
  .command('events')
  .description('stored events')
  .command('export')
  .description(
    "stored events, one JSON envelope per line (NDJSON on stdout): what a topic's service published on it (--topic), " +
      'or every event of a service\'s store, internal ones and the ops journal (stream ops-journal) too (--service)',
  )
  .option('--topic <topic>', 'what was published on it, e.g. order.events')
  .option('--service <name>', 'every stored event of the service, e.g. order')
  .option('--from <instant>', 'occurred at or after (ISO 8601)')
  .option('--to <instant>', 'occurred before (ISO 8601)')
  .option('--stream <streamId>', 'one stream only, e.g. order-<id>, or ops-journal (with --service)')
  .option('--type <types>', 'event type(s), comma-separated')
  .option('--mask-pii', 'mask names, e-mail addresses, phone numbers and addresses')
  .action(async (options: { topic?: string; service?: string; from?: string; to?: string; stream?: string; type?: string; maskPii?: boolean }) => {
    if ((options.topic === undefined) === (options.service === undefined)) throw new CliError('events export: give exactly one of --topic and --service', EXIT.usage);
    const { topic, service, from, to, stream, type, maskPii } = options;
    const response = await call(connection(), 'GET', `/ops/events/export${query({ topic, service, from, to, stream, type, maskPii })}`);
    if (!response.body) return;
    // How far the scan has come: the position of the last line against the store's head when the export began.
    const bar = progress('export', 'store positions', progressForced());
    const head = Number(response.headers.get('x-head-position') ?? 0);
    const positionOf = lastPositionReader();
    bar.start(head);
    const reader = response.body.getReader();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      if (!process.stdout.write(chunk.value)) await new Promise((resolve) => process.stdout.once('drain', resolve));
      const position = bar.shown ? positionOf(chunk.value) : undefined;
      if (position !== undefined) bar.update(position);
    }
    bar.update(head);
    bar.stop();
  });

async function main(argv: string[]): Promise<number> {
  try {
    await program.parseAsync(argv);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are not failures; commander has printed the usage error already.
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof CliError) {
      say(`ops: ${error.message}`);
      return error.exitCode;
    }
    say(`ops: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.unavailable;
  }
}

void main(process.argv).then((code) => {
  process.exitCode = code;
});
