import { useCallback, useEffect, useRef, useState } from 'react';
import { get } from './api';
import { Problem } from './messages';

export interface Loaded<T> {
  data: T | undefined;
  /** The path `data` answers: while another path loads, the screen still shows this one's answer. */
  dataPath: string | undefined;
  error: Problem | undefined;
  loading: boolean;
  reload: () => Promise<void>;
  /** After a command: re-read until the read model shows a change (it follows the events a moment later), 5 s at most. */
  refresh: () => Promise<void>;
}

/**
 * GET `path` (null: nothing yet), again whenever it changes, and every `pollMs` while `poll` says the
 * answer is still waiting for something (the vendor, a projection) — no manual reload.
 */
export function useApi<T>(path: string | null, options: { pollMs?: number; poll?: (data: T) => boolean } = {}): Loaded<T> {
  const [loaded, setLoaded] = useState<{ data: T; path: string }>();
  const data = loaded?.data;
  const [error, setError] = useState<Problem>();
  const [loading, setLoading] = useState(!!path);
  const latest = useRef(path);
  latest.current = path;
  const pollRef = useRef(options.poll);
  pollRef.current = options.poll;

  const reload = useCallback(async () => {
    if (!path) return;
    setLoading(true);
    try {
      const answer = await getSoon<T>(path, () => latest.current === path);
      if (latest.current !== path) return;
      setLoaded({ data: answer, path });
      setError(undefined);
    } catch (caught) {
      if (latest.current === path) setError(caught instanceof Problem ? caught : new Problem(0, { title: String(caught) }));
    } finally {
      if (latest.current === path) setLoading(false);
    }
  }, [path]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const dataRef = useRef(data);
  dataRef.current = data;
  const refresh = useCallback(async () => {
    if (!path) return;
    const before = JSON.stringify(dataRef.current);
    for (let attempt = 0; attempt < 20 && latest.current === path; attempt++) {
      try {
        const answer = await get<T>(path);
        if (JSON.stringify(answer) !== before || attempt === 19) {
          if (latest.current === path) setLoaded({ data: answer, path });
          return;
        }
      } catch {
        // the screen keeps what it shows; the next reload reports the error
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }, [path]);

  useEffect(() => {
    if (!options.pollMs || !data || !pollRef.current?.(data)) return;
    const timer = setTimeout(() => void reload(), options.pollMs);
    return () => clearTimeout(timer);
  }, [data, options.pollMs, reload]);

  return { data, dataPath: loaded?.path, error, loading, reload, refresh };
}

const NOT_YET_TRIES = 20;

/**
 * Read models follow the events a moment after a command answered: a resource just created (the
 * screen navigates to it at once) may answer 404 for a few hundred milliseconds. Ask again a while.
 */
async function getSoon<T>(path: string, stillWanted: () => boolean): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await get<T>(path);
    } catch (caught) {
      if (!(caught instanceof Problem) || caught.status !== 404 || attempt >= NOT_YET_TRIES || !stillWanted()) throw caught;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
