import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { until } from '@lp/testing';
import { WalCheckpointer } from '../src/sqlite/wal-checkpointer';

describe('WalCheckpointer', () => {
  it('hands the checkpoints back once its worker fails, and tries no more', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lp-wal-checkpointer-'));
    const failures: unknown[] = [];
    // No such file: the worker's connection cannot open.
    const checkpointer = new WalCheckpointer(join(dir, 'gone.sqlite'), { synchronous: 'NORMAL', intervalMs: 1, restartPages: 10_000, whileWritesWait: (write) => write(), onFailure: (error) => failures.push(error) });
    try {
      checkpointer.committed();
      await until(() => failures.length > 0);
      checkpointer.committed();
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(failures).toHaveLength(1);
    } finally {
      await checkpointer.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
