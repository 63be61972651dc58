import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The CLI tests run dist/: rebuilt first when a source is newer than it.
    globalSetup: ['test/helpers/fresh-build.ts'],
  },
});
