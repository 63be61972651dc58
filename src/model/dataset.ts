// What reading the inputs gives: per input, its row accounting, rejects, warnings, notes and Total
// checks; and the dataset itself: the reports, the sources and the records. Types only.
import type { AssetRecord, Source } from './model.js';
import type { Diagnostic } from './diagnostics.js';

export interface RowStats {
  rows_read: number;
  rows_accepted: number;
  rows_rejected: number;
  rows_skipped: number;
  skipped_blank: number;
  skipped_notes: number;
  skipped_total: number;
  skipped_title: number;
  /** Rows of costs, values or staff numbers beside the counts. */
  skipped_not_counts: number;
  records: number;
}

export interface TotalCheck {
  file: string;
  line: number;
  column: number;
  /** The series (wide) or period (transposed) the Total covers. */
  label: string;
  stated: string;
  sum_min: number | null;
  sum_max: number | null;
  status: 'match' | 'mismatch' | 'unchecked';
  reason?: string;
}

export interface InputReport {
  id: string;
  file: string;
  format: 'csv' | 'tsv' | 'json' | 'ndjson' | 'html';
  layout: string;
  encoding: string;
  bom: boolean;
  delimiter?: string;
  stats: RowStats;
  rejects: Diagnostic[];
  warnings: Diagnostic[];
  notes: Diagnostic[];
  totalChecks: TotalCheck[];
  headerMapping: Record<string, string>;
}

export interface Dataset {
  inputs: InputReport[];
  sources: Source[];
  records: AssetRecord[];
}

