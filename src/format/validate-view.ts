// `validate` as a report: row accounting per input (read = accepted + rejected + skipped), every
// reject with its position, Total checks, warnings and notes.
import type { Dataset, InputReport } from '../model/dataset.js';
import { describeDiagnostic } from '../model/diagnostics.js';
import type { Report } from './report.js';
import { accounting } from './records-view.js';

/** Left out first when a terminal is narrow: the path (the id names the file), then the detail. */
const HUMAN_DROP: Record<string, number> = { file: 6, encoding: 5, format: 4, layout: 3, total_checks: 2, rows_accepted: 1 };
const HUMAN_TITLE: Record<string, string> = {
  rows_read: 'read', rows_accepted: 'accepted', rows_rejected: 'rejected', rows_skipped: 'skipped',
  total_checks: 'Total checks', total_mismatches: 'mismatches',
};

export function validateReport(dataset: Dataset): { report: Report; problems: number } {
  let problems = 0;
  const rows = dataset.inputs.map((i) => {
    const checks = i.totalChecks;
    const mismatches = checks.filter((c) => c.status === 'mismatch').length;
    problems += i.rejects.length + mismatches;
    return {
      ...accounting(i),
      skipped_blank: i.stats.skipped_blank,
      skipped_notes: i.stats.skipped_notes,
      skipped_total: i.stats.skipped_total,
      skipped_title: i.stats.skipped_title,
      skipped_not_counts: i.stats.skipped_not_counts,
      total_checks: checks.length,
      total_matches: checks.filter((c) => c.status === 'match').length,
      total_mismatches: mismatches,
      warnings: i.warnings.length,
    };
  });
  const notes = dataset.inputs.flatMap((i) => inputNotes(i));
  const columns = [
    ['id', 'text'], ['file', 'text'], ['format', 'text'], ['layout', 'text'], ['encoding', 'text'], ['rows_read', 'number'],
    ['rows_accepted', 'number'], ['rows_rejected', 'number'], ['rows_skipped', 'number'], ['records', 'number'],
    ['total_checks', 'number'], ['total_mismatches', 'number'], ['warnings', 'number'],
  ] as const;
  return {
    problems,
    report: {
      columns: columns.map(([key, type]) => ({ key, type })),
      humanColumns: columns.map(([key, type]) => ({ key, type, title: HUMAN_TITLE[key], ...(HUMAN_DROP[key] ? { drop: HUMAN_DROP[key] } : {}) })),
      rows,
      json: {
        ok: problems === 0,
        // The counts keep the names and meaning they have in csv/tsv (design §6); the lists
        // behind them are `*_details`.
        inputs: dataset.inputs.map((i, k) => ({
          ...rows[k],
          header_mapping: i.headerMapping,
          rejects: i.rejects,
          total_check_details: i.totalChecks,
          warning_details: i.warnings,
          note_details: i.notes,
        })),
      },
      notes,
    },
  };
}

/** An input's notes: its rejects, the Total checks that did not match, its header mapping, warnings and notes. */
function inputNotes(i: InputReport): string[] {
  const notes: string[] = [];
  for (const r of i.rejects) notes.push(`rejected: ${describeDiagnostic(r)}`);
  for (const c of i.totalChecks) {
    if (c.status === 'match') continue;
    notes.push(`Total ${c.status}: ${c.file}:${c.line}:${c.column}: "${c.label}" states ${c.stated}, rows sum to ${c.sum_min === c.sum_max ? c.sum_min : `${c.sum_min}–${c.sum_max ?? '?'}`}${c.reason ? ` (${c.reason})` : ''}`);
  }
  // Header names that only matched through the alias table (bad-inputs 21: the mapping is reported).
  const mapped = i.layout === 'long' ? Object.entries(i.headerMapping).filter(([from, to]) => from !== to) : [];
  if (mapped.length) notes.push(`${i.file}: columns read as ${mapped.map(([from, to]) => `"${from}" → ${to}`).join(', ')}`);
  for (const w of i.warnings) notes.push(`warning: ${describeDiagnostic(w)}`);
  for (const n of i.notes) notes.push(`note: ${describeDiagnostic(n)}`);
  const matched = i.totalChecks.filter((c) => c.status === 'match').length;
  if (i.totalChecks.length) notes.push(`${i.file}: Total checks: ${matched} of ${i.totalChecks.length} match`);
  return notes;
}
