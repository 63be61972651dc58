// The data model of design §2 as zod schemas; every domain type is inferred from here.
// Core modules import these as types only, so zod is loaded just where input is validated.
import { z } from 'zod';

import { PERIOD_KINDS } from './vocab.js';

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a YYYY-MM-DD date');

export const PeriodSchema = z.object({
  start: isoDay,
  end: isoDay,
  label: z.string(),
  kind: z.enum(PERIOD_KINDS),
  /** The answer does not say which days ("in the last year", "to date"): the most likely ones. */
  approximate: z.boolean().optional(),
});
export type Period = z.infer<typeof PeriodSchema>;

export const CountSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('exact'), value: z.number().int().nonnegative(), flags: z.array(z.string()) }),
  z.object({
    kind: z.literal('suppressed'),
    min: z.number().int().nonnegative(),
    /** null: no stated threshold (`[c]`), the upper bound is unknown. */
    max: z.number().int().nonnegative().nullable(),
    flags: z.array(z.string()),
  }),
  z.object({ kind: z.literal('missing'), flags: z.array(z.string()) }),
]);
export type Count = z.infer<typeof CountSchema>;

export const SeriesSchema = z.object({
  department: z.string().min(1),
  category: z.string().min(1),
  status: z.string().min(1),
  unit: z.string().nullable(),
  /** Set where one table gives two items of one category ("Mobile telephones", "Blackberrys"): a total sums them. */
  item: z.string().nullable().optional(),
});
export type Series = z.infer<typeof SeriesSchema>;

export const ProvenanceSchema = z.object({
  source_id: z.string(),
  file: z.string(),
  line: z.number().int().nonnegative(),
  column: z.number().int().nonnegative(),
  raw: z.string(),
  row_label: z.string(),
  column_label: z.string(),
  /** Where the period was read when the row and column labels do not give it: caption, text, question, metadata. */
  period_from: z.string().optional(),
});
export type Provenance = z.infer<typeof ProvenanceSchema>;

export const AssetRecordSchema = z.object({
  series: SeriesSchema,
  period: PeriodSchema,
  count: CountSchema,
  provenance: ProvenanceSchema,
});
export type AssetRecord = z.infer<typeof AssetRecordSchema>;

/** `#` metadata and answer identity; keys as written (lower-case), values verbatim. */
export const SourceMetaSchema = z.record(z.string(), z.string());
export type SourceMeta = z.infer<typeof SourceMetaSchema>;

export const VintageSchema = z.object({
  /** answered date, else reported date, else null (then only the position orders it). */
  date: isoDay.nullable(),
  basis: z.enum(['answered', 'reported', 'position']),
  /** Position of the input on the command line (0-based); later is newer on ties. */
  position: z.number().int().nonnegative(),
});
export type Vintage = z.infer<typeof VintageSchema>;

export const SourceSchema = z.object({
  id: z.string(),
  file: z.string(),
  layout: z.string(),
  encoding: z.string(),
  metadata: SourceMetaSchema,
  vintage: VintageSchema,
});
export type Source = z.infer<typeof SourceSchema>;
