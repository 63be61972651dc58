// The closed vocabularies of the model, one `as const` array each, shared by zod, help and commander.

export const PERIOD_KINDS = ['day', 'month', 'quarter', 'year', 'financial-year', 'custom'] as const;
export const CATEGORIES = [
  'phone', 'laptop', 'computer', 'tablet', 'pda', 'pager', 'usb', 'hard-drive', 'removable-media', 'other',
] as const;
export const STATUSES = ['lost', 'stolen', 'lost-or-stolen', 'recovered'] as const;
export const LAYOUTS = ['wide', 'transposed', 'long', 'incidents'] as const;
export const COUNT_KINDS = ['exact', 'suppressed', 'missing'] as const;

export const OUTPUT_FORMATS = ['table', 'csv', 'tsv', 'json', 'ndjson', 'markdown'] as const;
export const PARTIAL_POLICIES = ['error', 'exclude', 'include', 'prorate'] as const;
export const ENCODINGS = ['utf-8', 'windows-1252', 'utf-16le', 'utf-16be'] as const;

export type PeriodKind = (typeof PERIOD_KINDS)[number];
export type Category = (typeof CATEGORIES)[number];
export type Status = (typeof STATUSES)[number];
export type Layout = (typeof LAYOUTS)[number];
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
export type PartialPolicy = (typeof PARTIAL_POLICIES)[number];
