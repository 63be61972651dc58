// Golden files: the one way tests compare an output with a committed file. A missing golden
// fails (it is never written quietly); `UPDATE_GOLDEN=1 npx vitest run <test file>` rewrites
// them, for a diff to review before committing.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { ROOT } from './files.js';

export const GOLDEN_DIR = join(ROOT, 'test/golden');

/** `path` is relative to test/golden. */
export function matchGolden(path: string, actual: string): void {
  const file = join(GOLDEN_DIR, path);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  expect(existsSync(file), `test/golden/${path} is missing: run UPDATE_GOLDEN=1 npx vitest run, and review the new file`).toBe(true);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}
