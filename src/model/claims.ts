// The claims file of `assetloss check` (YAML or JSON). Strict objects: an unknown key is an error
// that names the claim's line. `assetloss schema claims` prints this as JSON Schema.
import { z } from 'zod';
import { CATEGORIES, PARTIAL_POLICIES, STATUSES } from './vocab.js';
import { InputEntrySchema } from './inputs.js';

const names = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

const filters = {
  category: names.optional().describe(`category, canonical (${CATEGORIES.join(', ')}) or an alias`),
  department: names.optional(),
  status: names.optional().describe(`status: ${STATUSES.join(', ')} (or an alias)`),
  unit: names.optional(),
};

export const TotalSpecSchema = z.strictObject({
  // A bare year is a YAML number (`period: 2024`); it means the year, as on the command line.
  period: z.union([z.string().min(1), z.int().min(0)]).transform((p) => String(p))
    .describe('a query period: 2025-01-01..2025-02-27, 2024-07, 2024, 2023..2024, FY2023-24'),
  ...filters,
});
export type TotalSpec = z.infer<typeof TotalSpecSchema>;

const PairSchema = z.strictObject({ a: TotalSpecSchema, b: TotalSpecSchema });
const RatePairSchema = z.strictObject({ a: TotalSpecSchema, b: TotalSpecSchema, per: z.enum(['day', 'week', 'month', 'year']).optional() });

const numberOrTotal = z.union([z.number(), TotalSpecSchema]);

const SUBJECTS = ['total', 'ratio', 'rate-ratio'] as const;
const EXPECTATIONS = ['equals', 'at-least', 'at-most', 'between', 'greater-than', 'less-than', 'approx'] as const;

/**
 * The rules of the refinement below that JSON Schema can say (exactly one subject, exactly one
 * expectation, tolerance only with approx): merged into the claim's JSON Schema by
 * `assetloss schema claims`, so editors catch them too. Period syntax, between's order and unique
 * ids stay zod's alone.
 */
export const CLAIM_JSON_SCHEMA_RULES = {
  allOf: [
    { oneOf: SUBJECTS.map((k) => ({ required: [k] })) },
    { oneOf: EXPECTATIONS.map((k) => ({ required: [k] })) },
  ],
  dependentRequired: { tolerance: ['approx'] },
};

export const ClaimSchema = z
  .strictObject({
    id: z.string().min(1).regex(/^[\w.-]+$/, 'ids are letters, digits, _, - and .'),
    says: z.string().min(1).describe('the words as published'),
    source: z.string().optional(),
    total: TotalSpecSchema.optional(),
    ratio: PairSchema.optional(),
    'rate-ratio': RatePairSchema.optional(),
    equals: z.number().optional(),
    'at-least': z.number().optional(),
    'at-most': z.number().optional(),
    between: z.tuple([z.number(), z.number()]).optional(),
    'greater-than': numberOrTotal.optional(),
    'less-than': numberOrTotal.optional(),
    approx: z.number().optional(),
    tolerance: z.number().positive().optional().describe('relative tolerance of approx (default 0.05)'),
  })
  .superRefine((c, ctx) => {
    const subjects = SUBJECTS.filter((k) => c[k] !== undefined);
    if (subjects.length !== 1) {
      ctx.addIssue({ code: 'custom', message: subjects.length ? `give one subject, not ${subjects.join(' and ')}` : 'missing subject: give total, ratio or rate-ratio' });
    }
    const expectations = EXPECTATIONS.filter((k) => c[k] !== undefined);
    if (expectations.length !== 1) {
      ctx.addIssue({ code: 'custom', message: expectations.length ? `give one expectation, not ${expectations.join(' and ')}` : 'missing expectation: give equals, at-least, at-most, between, greater-than, less-than or approx' });
    }
    if (c.tolerance !== undefined && c.approx === undefined) ctx.addIssue({ code: 'custom', path: ['tolerance'], message: 'tolerance goes with approx' });
    if (c.between && c.between[0] > c.between[1]) ctx.addIssue({ code: 'custom', path: ['between'], message: 'between: the low bound is above the high bound' });
  });
export type Claim = z.infer<typeof ClaimSchema>;

export const ClaimsFileSchema = z.strictObject({
  input: z.union([z.string(), InputEntrySchema, z.array(z.union([z.string(), InputEntrySchema]))]).optional()
    .describe('data files (relative to the claims file), or entries of an inputs file: {file, department, answered, period, …} (-i overrides)'),
  defaults: z.strictObject({ ...filters, partial: z.enum(PARTIAL_POLICIES).optional() }).optional(),
  claims: z.array(ClaimSchema).min(1),
});
export type ClaimsFile = z.infer<typeof ClaimsFileSchema>;
