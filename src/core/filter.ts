// Filters by series dimension (--category, --department, --status, --unit), after alias lookup.
import type { AssetRecord } from '../schema/model.js';
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
 * `all`: every status. Otherwise, with no --status, recovered items are left out: they are among
 * the items lost or stolen, so adding them would count those twice (ask with --status recovered).
 */
export function matchesFilters(r: AssetRecord, f: Filters, { all = false } = {}): boolean {
  if (!all && !f.status?.length && r.series.status === 'recovered') return false;
  if (f.category?.length && !f.category.includes(r.series.category)) return false;
  if (f.department?.length && !f.department.includes(r.series.department)) return false;
  if (f.status?.length && !f.status.includes(r.series.status)) return false;
  if (f.unit?.length && !f.unit.includes(aliasKey(r.series.unit ?? ''))) return false;
  return true;
}
