import { useSyncExternalStore } from 'react';

/** A one-line "done" message at the top of the screen (受付処理が完了しました。), gone after a few seconds. */
let message: { id: number; text: string } | null = null;
const listeners = new Set<() => void>();
let next = 1;

export const notifications = {
  show(text: string) {
    const id = next++;
    message = { id, text };
    listeners.forEach((l) => l());
    setTimeout(() => {
      if (message?.id === id) {
        message = null;
        listeners.forEach((l) => l());
      }
    }, 4000);
  },
};

export const useNotification = () =>
  useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => message,
  );
