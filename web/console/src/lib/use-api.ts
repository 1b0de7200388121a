import { useCallback, useEffect, useRef, useState } from 'react';
import { get } from './api';
import { Problem } from './messages';

export interface Loaded<T> {
  data: T | undefined;
  error: Problem | undefined;
  loading: boolean;
  reload: () => Promise<void>;
}

/**
 * GET `path` (null: nothing yet), again whenever it changes, and every `pollMs` while `poll` says the
 * answer is still waiting for something (the vendor, a projection) — no manual reload.
 */
export function useApi<T>(path: string | null, options: { pollMs?: number; poll?: (data: T) => boolean } = {}): Loaded<T> {
  const [data, setData] = useState<T>();
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
      const answer = await get<T>(path);
      if (latest.current !== path) return;
      setData(answer);
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

  useEffect(() => {
    if (!options.pollMs || !data || !pollRef.current?.(data)) return;
    const timer = setTimeout(() => void reload(), options.pollMs);
    return () => clearTimeout(timer);
  }, [data, options.pollMs, reload]);

  return { data, error, loading, reload };
}
