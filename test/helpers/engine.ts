// Builders for the total-engine tests: records, periods, vintages.
import type { AssetRecord, Count, Period } from '../../src/model/model.js';
import type { VintageOf } from '../../src/engine/total.js';
import { formatDay, parseIsoDay } from '../../src/engine/dates.js';
import { parseQueryPeriod } from '../../src/engine/period.js';

export const BUILTIN = {
  y2017: 'fixtures/builtin/mod-devices-2017-2021.csv',
  y2023: 'fixtures/builtin/mod-devices-2023.csv',
  y2024: 'fixtures/builtin/mod-devices-2024-to-15-dec.csv',
  y2025: 'fixtures/builtin/mod-devices-2024-07-05-to-2025-02-27.csv',
};

/** A query period as the CLI reads it ("2024-07", "2023..2024", "FY2023-24"). */
export function q(text: string): Period {
  const p = parseQueryPeriod(text);
  if (!p.ok) throw new Error(p.reason);
  return p.period;
}

/** A custom period [start, end]. */
export function span(start: string, end: string, label = `${start}..${end}`): Period {
  return { start, end, label, kind: 'custom' };
}

export const exact = (value: number): Count => ({ kind: 'exact', value, flags: [] });
export const below = (n: number): Count => ({ kind: 'suppressed', min: 0, max: n - 1, flags: [] });
export const confidential: Count = { kind: 'suppressed', min: 0, max: null, flags: ['c'] };
export const notAvailable: Count = { kind: 'missing', flags: ['not-available'] };

export interface RecOptions {
  category?: string;
  status?: string;
  department?: string;
  unit?: string | null;
  label?: string;
  line?: number;
}

let autoLine = 1;

/** One record of source `source` over [start, end] (a month "2024-07" or a year "2024" also works). */
export function rec(source: string, when: string | [string, string], value: number | Count, o: RecOptions = {}): AssetRecord {
  const [start, end] = typeof when === 'string' ? (() => { const p = q(when); return [p.start, p.end]; })() : when;
  const count = typeof value === 'number' ? exact(value) : value;
  const label = o.label ?? (typeof when === 'string' ? when : `${start}..${end}`);
  return {
    series: { department: o.department ?? 'MOD', category: o.category ?? 'phone', status: o.status ?? 'lost-or-stolen', unit: o.unit ?? null },
    period: { start, end, label, kind: 'custom' },
    count,
    provenance: { source_id: source, file: `${source}.csv`, line: o.line ?? autoLine++, column: 2, raw: JSON.stringify(count), row_label: label, column_label: o.category ?? 'phone' },
  };
}

/** Vintages by position: later names in the list are newer. */
export function newerLater(...sources: string[]): VintageOf {
  return (r) => ({ date: null, position: Math.max(0, sources.indexOf(r.provenance.source_id)) });
}

/** Vintages by date ("answered"/"reported"); undated sources are older than dated ones. */
export function byDate(dates: Record<string, string>): VintageOf {
  return (r) => ({ date: dates[r.provenance.source_id] ?? null, position: 0 });
}

export function addDays(iso: string, n: number): string {
  return formatDay(parseIsoDay(iso)! + n);
}

export function daysBetween(start: string, end: string): number {
  return parseIsoDay(end)! - parseIsoDay(start)! + 1;
}
