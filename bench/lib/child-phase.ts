import { spawn } from 'child_process';
import { join } from 'path';

/**
 * Runs a bench script (dist/bench/<script>.js) in a process of its own, so that its peak RSS is its
 * own work's and not the bench's, and resolves with the one JSON line it prints last on stdout.
 * Its progress lines (stderr) pass through.
 */
export function runBenchScript<T>(script: string, env: Record<string, string> = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', join(__dirname, '..', `${script}.js`)], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = output.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`${script} exited with ${code}`));
      try {
        resolve(JSON.parse(line) as T);
      } catch {
        reject(new Error(`${script} printed no result: ${line.slice(0, 200)}`));
      }
    });
  });
}

/**
 * The other side of runBenchScript, for a bench script run as `node dist/bench/<script>.js`: progress
 * on stderr, the result alone as the last line on stdout, exit code 1 when it could not run.
 */
export function printBenchScriptResult<T>(run: (log: (line: string) => void) => Promise<T>): void {
  run((line) => console.error(line)).then(
    (result) => console.log(JSON.stringify(result)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
