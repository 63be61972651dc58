// The machine format of `records` (json document; each row also the csv/tsv/ndjson columns).
// The row's one declaration: RecordRow (record-row.ts) is inferred from it, and RECORD_COLUMNS
// must name its keys (checked when compiling; a test checks their order).
import { z } from 'zod';
import { COUNT_KINDS, PERIOD_KINDS } from './vocab.js';
import { SourceSchema } from './model.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const int = z.number().int().nonnegative();

export const RecordRowSchema = z.object({
  source_id: z.string(),
  department: z.string().describe('canonical code (MOD, HO, …) or the name as written when unknown'),
  category: z.string().describe('phone, laptop, computer, tablet, usb, hard-drive, removable-media, other, or a slug'),
  status: z.string().describe('lost, stolen, lost-or-stolen, recovered'),
  unit: z.string().nullable(),
  item: z.string().nullable().describe('the item label, where one table gives two items of one category (Mobile telephones, Blackberrys)'),
  period: z.string().describe('the label as written in the answer'),
  start: day,
  end: day,
  period_kind: z.enum(PERIOD_KINDS),
  days: int,
  period_approximate: z.boolean().describe('true when the answer does not say which days ("in the last year", "to date"): the most likely ones'),
  period_from: z.string().nullable().describe('where the period was read when the labels do not give it: caption, text, question or metadata'),
  count: int.nullable().describe('the exact count; null when suppressed or missing'),
  count_min: int.nullable(),
  count_max: int.nullable().describe('null when missing, or suppressed with no stated threshold'),
  count_kind: z.enum(COUNT_KINDS),
  flags: z.array(z.string()).describe('markers: r revised, p provisional, e estimated, c suppressed, footnotes; in csv joined by ;'),
  vintage: day.nullable(),
  uin: z.string().nullable().describe("the question's UIN, where the source gives it"),
  answered: day.nullable().describe('the date of the answer, where known'),
  file: z.string(),
  line: int,
  column: int,
  row_label: z.string(),
  column_label: z.string(),
  raw: z.string().describe('the cell as written'),
});

const Diagnostic = z.object({
  file: z.string(), line: int.optional(), column: int.optional(), code: z.string(), message: z.string(),
  expected: z.string().optional(), got: z.string().optional(),
});

export const RecordsDocumentSchema = z.object({
  records: z.array(RecordRowSchema),
  sources: z.array(SourceSchema),
  inputs: z.array(z.object({
    id: z.string(), file: z.string(), format: z.string(), layout: z.string(), encoding: z.string(), bom: z.boolean(),
    rows_read: int, rows_accepted: int, rows_rejected: int, rows_skipped: int, records: int,
  })),
  rejects: z.array(Diagnostic),
  complete: z.boolean().describe('false when --lenient rejected rows'),
  lenient: z.boolean(),
});
