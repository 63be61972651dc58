// JSON (one document) and NDJSON (one row object per line). JSON is never altered for
// spreadsheets: values are written as they are.
import type { RenderOptions, Report } from './report.js';

export function* json(report: Report, _options: RenderOptions): Generator<string> {
  yield `${JSON.stringify(report.json, null, 2)}\n`;
}

export function* ndjson(report: Report, _options: RenderOptions): Generator<string> {
  for (const row of report.rows) {
    const obj: Record<string, unknown> = {};
    for (const c of report.columns) obj[c.key] = row[c.key] ?? null;
    yield `${JSON.stringify(obj)}\n`;
  }
}
