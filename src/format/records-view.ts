// `records` as a report: one flat row per record, the JSON document with sources and row accounting.
import type { AssetRecord, Source } from '../model/model.js';
import type { Dataset, InputReport } from '../model/dataset.js';
import { RECORD_COLUMNS, recordRow } from '../model/record-row.js';
import { describeDiagnostic } from '../model/diagnostics.js';
import type { Report } from './report.js';

export function accounting(i: InputReport) {
  return {
    id: i.id, file: i.file, format: i.format, layout: i.layout, encoding: i.encoding, bom: i.bom, delimiter: i.delimiter === undefined ? null : i.delimiter === '\t' ? 'tab' : i.delimiter,
    rows_read: i.stats.rows_read, rows_accepted: i.stats.rows_accepted, rows_rejected: i.stats.rows_rejected,
    rows_skipped: i.stats.rows_skipped, records: i.stats.records,
  };
}

export function recordsReport(dataset: Dataset, records: AssetRecord[], lenient: boolean): Report {
  const byId = new Map<string, Source>(dataset.sources.map((s) => [s.id, s]));
  const rows = records.map((r) => recordRow(r, byId.get(r.provenance.source_id)));
  const rejects = dataset.inputs.flatMap((i) => i.rejects);
  const notes: string[] = [];
  if (rejects.length) notes.push(`INCOMPLETE: ${rejects.length} row(s) rejected (--lenient): ${rejects.map((r) => describeDiagnostic(r)).join('; ')}`);
  // People see the key columns; csv, tsv, json and ndjson carry every one.
  const humanRows = rows.map((r) => ({
    ...r,
    count: r.count_kind === 'exact' ? r.count : r.count_kind === 'suppressed' ? `${r.count_min}–${r.count_max ?? '?'}` : 'n/a',
    where: `${r.source_id}:${r.line}`,
  }));
  return {
    columns: RECORD_COLUMNS.map(([key, type]) => ({ key, type })),
    humanColumns: [
      { key: 'period', type: 'text' }, { key: 'start', type: 'date' }, { key: 'end', type: 'date' },
      { key: 'department', type: 'text', drop: 3 }, { key: 'category', type: 'text' }, { key: 'status', type: 'text', drop: 2 },
      { key: 'unit', type: 'text', drop: 6 }, { key: 'count', type: 'number' }, { key: 'flags', type: 'list', drop: 5 },
      { key: 'where', type: 'text', drop: 4 },
    ],
    humanRows,
    rows,
    json: {
      records: rows,
      sources: dataset.sources,
      inputs: dataset.inputs.map(accounting),
      rejects,
      complete: rejects.length === 0,
      lenient,
    },
    notes,
  };
}
