// assetloss compare: the first period against each of the others (totals, days, rates, ratios).
import { compare, type Dimension, type PerUnit } from '../../core/compare.js';
import { canonicalFilters, matchesFilters } from '../../core/filter.js';
import { vintageLookup } from '../../core/total.js';
import { compareReport } from '../../format/compare-view.js';
import type { Period } from '../../schema/model.js';
import { type Io, loadData, markIncomplete, writeReport } from '../context.js';
import type { GlobalOptions } from '../options.js';
import { failOnCaveats } from './engine-errors.js';

export interface CompareOptions extends GlobalOptions {
  by?: Dimension;
  per: PerUnit;
  requireComplete?: boolean;
}

export async function runCompare(opts: CompareOptions, io: Io, periods: Period[]): Promise<number> {
  const { dataset, aliases, rejected } = await loadData(opts, io);
  const filters = canonicalFilters(opts, aliases);
  const records = dataset.records.filter((r) => matchesFilters(r, filters));
  const result = compare(records, periods, vintageLookup(dataset.sources), { by: opts.by, per: opts.per, partial: opts.partial });
  failOnCaveats(result.caveats, result.periods.map((p) => ({ label: p.period, gaps: p.gaps })), opts, io);
  await writeReport(markIncomplete(compareReport(result), rejected), opts, io);
  return 0;
}
