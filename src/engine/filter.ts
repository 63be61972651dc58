// Filters by series dimension (--category, --department, --status, --unit), after alias lookup.
import type { AssetRecord, Series } from '../model/model.js';
import { type AliasTables, aliasKey, resolveCategory, resolveDepartment, resolveStatus } from './aliases.js';

export interface Filters {
  category?: string[];
  department?: string[];
  status?: string[];
  unit?: string[];
}

export function canonicalFilters(f: Filters, aliases: AliasTables): Filters {
  return {
    category: f.category?.map((c) => resolveCategory(aliases, c).value),
    department: f.department?.map((d) => resolveDepartment(aliases, d).value),
    status: f.status?.map((s) => resolveStatus(aliases, s).value),
    unit: f.unit?.map((u) => aliasKey(u)),
  };
}

/**
 * The records whose series match. `all`: every status. Otherwise, with no --status, recovered
 * items are left out: they are among the items lost or stolen, so adding them would count those
 * twice (ask with --status recovered). Decided once a run of records sharing a series object.
 */
export function filterRecords(records: AssetRecord[], f: Filters, { all = false } = {}): AssetRecord[] {
  let last: Series | undefined;
  let keep = false;
  const keeps = (r: AssetRecord) => {
    if (r.series !== last) {
      last = r.series;
      keep = seriesMatches(last, f, all);
    }
    return keep;
  };
  // All of them (no filter, most often): the same array, not a copy of a million records.
  return records.every(keeps) ? records : records.filter(keeps);
}

function seriesMatches(s: Series, f: Filters, all: boolean): boolean {
  if (!all && !f.status?.length && s.status === 'recovered') return false;
  if (f.category?.length && !f.category.includes(s.category)) return false;
  if (f.department?.length && !f.department.includes(s.department)) return false;
  if (f.status?.length && !f.status.includes(s.status)) return false;
  if (f.unit?.length && !f.unit.includes(aliasKey(s.unit ?? ''))) return false;
  return true;
}

export type FilterFlag = keyof Filters;

/** A filter value that names nothing: not in the alias tables and not in the data. */
export interface UnknownFilter {
  flag: FilterFlag;
  value: string;
  /** The nearest names known (canonical names, aliases, or the data's own values), best first. */
  nearest: string[];
}

/** Edit distance (insertions, deletions, substitutions, and swaps of neighbours). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** Up to three names nearest to `value`: close ones (a third of the length or less), else none. */
export function nearestNames(value: string, names: Iterable<string>): string[] {
  const key = aliasKey(value);
  const scored = [...new Set(names)]
    .map((n) => ({ n, d: editDistance(key, aliasKey(n)) - (aliasKey(n).startsWith(key) || key.startsWith(aliasKey(n)) ? 1 : 0) }))
    .filter(({ n, d }) => d <= Math.max(2, Math.floor(Math.max(key.length, aliasKey(n).length) / 3)))
    .sort((x, y) => x.d - y.d || x.n.localeCompare(y.n));
  return scored.slice(0, 3).map(({ n }) => n);
}

/**
 * The filter values that match nothing the alias tables know and nothing in the data
 * (`--category phnoe`): a usage error, never an empty result. A known name with no data
 * (`--department "Home Office"` on MoD answers) is not one of them: that is NO_DATA.
 */
export function unknownFilters(f: Filters, aliases: AliasTables, records: readonly AssetRecord[]): UnknownFilter[] {
  if (!(['category', 'department', 'status', 'unit'] as const).some((k) => f[k]?.length)) return [];
  const inData = {
    category: new Set(records.map((r) => r.series.category)),
    department: new Set(records.map((r) => r.series.department)),
    status: new Set(records.map((r) => r.series.status)),
    unit: new Set(records.map((r) => r.series.unit ?? '').filter(Boolean)),
  };
  const tables = { category: aliases.categories, department: aliases.departments, status: aliases.statuses } as const;
  const out: UnknownFilter[] = [];
  for (const flag of ['category', 'department', 'status', 'unit'] as const) {
    for (const value of f[flag] ?? []) {
      let canonical: string;
      let known: boolean;
      if (flag === 'unit') {
        canonical = aliasKey(value);
        known = false;
      } else {
        const r = (flag === 'category' ? resolveCategory : flag === 'department' ? resolveDepartment : resolveStatus)(aliases, value);
        canonical = r.value;
        known = r.known;
      }
      const data = flag === 'unit' ? [...inData.unit].map(aliasKey) : [...inData[flag]];
      if (known || data.includes(canonical)) continue;
      // Canonical names and the data's values first; the aliases (variants) only when nothing else is near.
      const table = flag === 'unit' ? undefined : tables[flag];
      const canonicals = table ? [...new Set(table.values())] : [];
      const own = flag === 'unit' ? [...inData.unit] : [...inData[flag]];
      let nearest = nearestNames(value, [...canonicals, ...own]);
      if (nearest.length === 0 && table) {
        nearest = [...new Set(nearestNames(value, table.keys()).map((k) => `${k} (${table.get(k)})`))];
      }
      out.push({ flag, value, nearest });
    }
  }
  return out;
}
