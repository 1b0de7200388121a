import { readFileSync } from 'fs';
import { join } from 'path';
import { EVENT_CONTRACTS, TOPICS } from '@lp/integration-events';

const README = join(__dirname, '../../../README.md');

/** The rows of the first table under "## Subscribing to the events": topic → the event types it names. */
function topicTableOfReadme(): Map<string, string[]> {
  const text = readFileSync(README, 'utf8');
  const start = text.indexOf('\n## Subscribing to the events\n');
  if (start < 0) throw new Error('README.md has no "## Subscribing to the events" section');
  const lines = text.slice(start).split('\n');
  const header = lines.findIndex((line) => /^\|\s*topic\s*\|/.test(line));
  const rows = lines.slice(header + 2).filter((_, i, all) => all.slice(0, i + 1).every((line) => line.startsWith('|')));
  return new Map(
    rows.map((row) => {
      const [topic, , events] = row.split('|').slice(1, -1).map((cell) => cell.trim());
      return [topic.replace(/`/g, ''), events.split(',').map((type) => type.trim()).filter(Boolean)];
    }),
  );
}

describe("README's topic table (Subscribing to the events)", () => {
  const table = topicTableOfReadme();

  it('has one row per topic', () => {
    expect([...table.keys()].sort()).toEqual(Object.values(TOPICS).sort());
  });

  it.each(Object.values(TOPICS))('lists exactly the event types declared on %s', (topic) => {
    const declared = EVENT_CONTRACTS.filter((contract) => contract.topic === topic).map((contract) => contract.type);
    expect([...(table.get(topic) ?? [])].sort()).toEqual([...declared].sort());
  });
});
