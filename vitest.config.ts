import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The spawn tests run dist/: rebuilt first when a source is newer than it.
    globalSetup: ['test/helpers/fresh-build.ts'],
    // A worker per CPU: vitest's default leaves one CPU to its main process, which waits, so on
    // 2 CPUs the files ran one at a time (measured there, shared with other work: 58-64 s with one
    // worker, 32-61 s with two; threads instead of forks made no difference: forks stay).
    maxWorkers: availableParallelism(),
    // Goldens (test/golden, through toMatchFileSnapshot) are never written by a plain run, in CI
    // or not: a missing or changed golden fails. `npx vitest run -u` (or UPDATE_GOLDEN=1) rewrites
    // them, for a diff to review before committing.
    update: process.env.UPDATE_GOLDEN === '1' ? 'all' : 'none',
  },
});
