// The state file of `check --state`: each claim's last result, so the next run can say what
// changed (a claim that flipped, a figure that moved, the answers behind it). JSON, written whole.
import { readFile } from 'node:fs/promises';
import { writeWhole } from './write-file.js';
import { InputError } from '../model/diagnostics.js';
import type { CheckState } from '../engine/check-state.js';

/** Beside the claims file: claims.yaml → claims.state.json. */
export function defaultStatePath(claimsFile: string): string {
  return `${claimsFile.replace(/\.(ya?ml|json)$/i, '')}.state.json`;
}

export async function readState(file: string): Promise<CheckState | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new InputError('CANNOT_OPEN', 'cannot read the state file', { file });
  }
  try {
    const doc = JSON.parse(text) as CheckState;
    if (doc && typeof doc === 'object' && doc.claims && typeof doc.claims === 'object') return doc;
  } catch {
    // fall through
  }
  throw new InputError('BAD_STATE', 'the state file is not one check --state wrote (delete it to start afresh)', { file, line: 1 }, '{"claims_file", "checked", "claims": {…}}');
}

export async function writeState(file: string, state: CheckState): Promise<void> {
  try {
    await writeWhole(file, [`${JSON.stringify(state, null, 2)}\n`]);
  } catch (err) {
    throw new InputError('CANNOT_WRITE', `cannot write the state file: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, { file });
  }
}
