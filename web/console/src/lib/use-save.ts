import { useState } from 'react';
import { Problem } from './messages';

/**
 * A new-record page's 保存: busy while `save` runs, and its refusal kept as the page's problem (the
 * fields' errors by path) until the next try.
 */
export function useSave(save: () => Promise<void>): { busy: boolean; problem: Problem | undefined; submit: () => Promise<void> } {
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    setProblem(undefined);
    try {
      await save();
    } catch (caught) {
      setProblem(caught as Problem);
    } finally {
      setBusy(false);
    }
  };
  return { busy, problem, submit };
}
