// assetloss schema records|claims: JSON Schema generated from the zod schemas (cannot drift).
import { z } from 'zod';
import { InputError } from '../../core/diagnostics.js';
import type { Io } from '../context.js';

export async function runSchema(which: string, io: Io): Promise<number> {
  let schema: z.ZodType;
  if (which === 'claims') schema = (await import('../../schema/claims.js')).ClaimsFileSchema;
  else if (which === 'records') schema = (await import('../../schema/record-row.js')).RecordsDocumentSchema;
  else throw new InputError('USAGE', `unknown schema "${which}"`, { file: 'schema' }, 'records or claims', which);
  const json = z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' });
  io.stdout.write(`${JSON.stringify({ $id: `https://assetloss.invalid/schema/${which}.json`, ...json }, null, 2)}\n`);
  return 0;
}
