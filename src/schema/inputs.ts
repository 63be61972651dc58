// The inputs file (and the input entries of a claims file): for each input, what it does not
// say itself. Validated with zod; io/inputs-file.ts reads the YAML and positions the problems.
import { z } from 'zod';
import { parseIsoDay } from '../core/dates.js';
import { LAYOUTS } from '../core/vocab.js';

const day = z.union([z.string(), z.date()]).transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v))
  .refine((v) => parseIsoDay(v) !== undefined, 'expected a YYYY-MM-DD date');
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
