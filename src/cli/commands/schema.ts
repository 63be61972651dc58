// assetloss schema records|claims: JSON Schema generated from the zod schemas (cannot drift).
import { z } from 'zod';
import { InputError } from '../../model/diagnostics.js';
import type { Io } from '../context.js';

export async function runSchema(which: string, io: Io): Promise<number> {
  let schema: z.ZodType;
  let extra: { of: z.ZodType; rules: Record<string, unknown> } | undefined;
  if (which === 'claims') {
    const claims = await import('../../model/claims.js');
    schema = claims.ClaimsFileSchema;
    extra = { of: claims.ClaimSchema, rules: claims.CLAIM_JSON_SCHEMA_RULES };
  } else if (which === 'records') schema = (await import('../../model/record-row-schema.js')).RecordsDocumentSchema;
  else throw new InputError('USAGE', `unknown schema "${which}"`, { file: 'schema' }, 'records or claims', which);
  const json = z.toJSONSchema(schema, {
    unrepresentable: 'any',
    io: 'input',
    // Refinements do not translate; the rules of theirs that JSON Schema can say are added here.
    override: (ctx) => {
      if (extra && (ctx.zodSchema as unknown) === extra.of) Object.assign(ctx.jsonSchema, extra.rules);
    },
  });
  io.stdout.write(`${JSON.stringify({ $id: `https://assetloss.invalid/schema/${which}.json`, ...json }, null, 2)}\n`);
  return 0;
}
