// When no worker thread can be started (a permission model, a thread limit), a big incident log
// is read on one thread with the same result: `new Worker` throwing must not escape.
import { describe, expect, it, vi } from 'vitest';
import type * as Api from '../src/index.js';
import { tempDir } from './helpers/files.js';

vi.mock('node:worker_threads', async (original) => ({
  ...(await original<typeof import('node:worker_threads')>()),
  Worker: class {
    constructor() {
      throw Object.assign(new Error('Access to this API has been restricted'), { code: 'ERR_ACCESS_DENIED' });
    }
  },
}));

const api = (await import('../dist/index.js')) as typeof Api;
const { splitUse } = (await import('../dist/io/incident-split.js')) as typeof import('../src/io/incident-split.js');

describe('a big incident log when no worker can start', () => {
  it('is read on this thread alone, with the result of a plain read', async () => {
    const tmp = tempDir('assetloss-noworker-');
    try {
      const head = 'date,category,quantity,status,department,unit\n';
      const rows = Array.from({ length: 400 }, (_, i) => `2024-01-${String((i % 28) + 1).padStart(2, '0')},Laptop,,lost,MOD,Army\n`).join('');
      const file = tmp.write('log.csv', head + rows);
      const before = { ...splitUse };
      const two = await api.loadSources([file], { splitBytes: 1 });
      expect(splitUse.fellBack).toBe(before.fellBack + 1);
      const one = await api.loadSources([file], { splitBytes: Number.POSITIVE_INFINITY });
      expect(two.records).toEqual(one.records);
      expect(two.inputs).toEqual(one.inputs);
      expect(two.records.reduce((s, r) => s + (r.count as { value: number }).value, 0)).toBe(400);
    } finally {
      tmp.cleanup();
    }
  });
});
