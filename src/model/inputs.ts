// The inputs file (and the input entries of a claims file): for each input, what it does not
// say itself. Validated with zod; io/inputs-file.ts reads the YAML and positions the problems.
import { z } from 'zod';
import { LAYOUTS } from './vocab.js';

/** A YYYY-MM-DD that is a day of the calendar (2023-02-30 is not). */
function isRealDay(v: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const t = Date.parse(`${v}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === v;
}

const day = z.union([z.string(), z.date()]).transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v))
  .refine(isRealDay, 'expected a YYYY-MM-DD date');
const text = z.union([z.string(), z.number()]).transform(String);

export const InputEntrySchema = z.strictObject({
  file: z.string().min(1),
  department: text.optional(),
  answered: day.optional(),
  tabled: day.optional(),
  reported: day.optional(),
  'as-at': day.optional(),
  period: text.optional(),
  status: z.string().optional(),
  category: z.string().optional(),
  unit: text.optional(),
  'header-row': z.number().int().positive().optional(),
  year: z.number().int().min(1900).max(2200).optional(),
  layout: z.enum(LAYOUTS).optional(),
  uin: text.optional(),
  question: z.string().optional(),
  title: z.string().optional(),
  source: z.string().optional(),
  'text-figures': z.boolean().optional(),
});

export const InputsFileSchema = z.strictObject({
  inputs: z.array(z.union([z.string().min(1), InputEntrySchema])).min(1),
});

export type InputEntryValue = z.infer<typeof InputEntrySchema>;
