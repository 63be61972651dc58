import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The CLI tests run dist/: rebuilt first when a source is newer than it.
    globalSetup: ['test/helpers/fresh-build.ts'],
    // Goldens (test/golden, through toMatchFileSnapshot) are never written by a plain run, in CI
    // or not: a missing or changed golden fails. `npx vitest run -u` (or UPDATE_GOLDEN=1) rewrites
    // them, for a diff to review before committing.
    update: process.env.UPDATE_GOLDEN === '1' ? 'all' : 'none',
  },
});
