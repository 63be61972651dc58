// Reads the built-in dataset as prepared at build time (see builtin.ts); kept apart so that
// reading it loads nothing but fs.
import { readFileSync } from 'node:fs';
import type { Dataset } from '../model/dataset.js';

// dist/io/*.js and dist/bundle/*.cjs are both one level below dist/.
export const PREBUILT = new URL('../builtin.json', import.meta.url);

export function readPrebuiltBuiltin(): Dataset | undefined {
  try {
    return JSON.parse(readFileSync(PREBUILT, 'utf8')) as Dataset;
  } catch {
    return undefined;
  }
}
