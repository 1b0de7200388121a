import { mkdirSync, writeFileSync } from 'fs';
import { Session } from 'inspector';
import { join } from 'path';

/**
 * A V8 CPU profile of one stretch of this process (not its start-up or the bench's own fill), for
 * `node --cpu-prof`'s tools: `await profiled(dir, 'rebuild', work)` writes `<dir>/rebuild.cpuprofile`.
 * Without a directory it only runs the work.
 */
export async function profiled<T>(dir: string | undefined, name: string, work: () => Promise<T>): Promise<T> {
  if (!dir) return work();
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<any>((resolve, reject) => session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))));
  await post('Profiler.enable');
  await post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await post('Profiler.stop');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}
