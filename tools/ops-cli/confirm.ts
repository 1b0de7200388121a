import { createInterface } from 'readline/promises';
import { CliError, EXIT } from './http';

/**
 * After a dry run: goes on with --yes, asks on a terminal, and otherwise stops with exit code 4, so a
 * script never moves anything it did not say yes to.
 */
export async function confirmed(question: string, yes: boolean): Promise<boolean> {
  if (yes) return true;
  if (!process.stdin.isTTY) throw new CliError(`${question} Not confirmed: run again with --yes to proceed.`, EXIT.notConfirmed);
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(`${question} Proceed? [y/N] `);
    if (/^y(es)?$/i.test(answer.trim())) return true;
    throw new CliError('Not confirmed: nothing was changed.', EXIT.notConfirmed);
  } finally {
    prompt.close();
  }
}
