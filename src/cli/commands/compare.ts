// assetloss compare: the first period against each of the others (totals, days, rates, ratios).
import { compare, type Dimension, type PerUnit } from '../../engine/compare.js';
import { canonicalFilters } from '../../engine/filter.js';
import { vintageLookup } from '../../engine/total.js';
import { compareReport } from '../../format/compare-view.js';
import type { Period } from '../../model/model.js';
import { type Io, loadData, markIncomplete, outputFormat, selectRecords, warn, writeReport } from '../context.js';
import type { GlobalOptions } from '../options.js';
import { failOnCaveats } from './engine-errors.js';

export interface CompareOptions extends GlobalOptions {
  by?: Dimension;
  per: PerUnit;
  requireComplete?: boolean;
}

export async function runCompare(opts: CompareOptions, io: Io, periods: Period[]): Promise<number> {
  const { dataset, aliases, rejected } = await loadData(opts, io);
  const records = selectRecords(opts, io, { dataset, aliases });
  const result = compare(records, periods, vintageLookup(dataset.sources), { by: opts.by, per: opts.per, partial: opts.partial });
  failOnCaveats(result.caveats, result.periods.map((p) => ({ label: p.period, gaps: p.gaps })), opts, io);
  // Said on stderr whatever the format: a period with no data, and (for the formats whose
  // only place for it is the status column) a total that covers part of its period.
  if (records.length > 0) {
    for (const p of result.periods) if (!p.result.has_data) warn(io, opts, `${p.group ? `${p.group}: ` : ''}${p.period}: no data for this selection (not zero)`);
  }
  const format = outputFormat(opts, io);
  if (format === 'csv' || format === 'tsv' || format === 'ndjson') {
    for (const p of result.periods) {
      if (p.result.has_data && p.covered_days < p.days) warn(io, opts, `${p.group ? `${p.group}: ` : ''}${p.period}: figures cover ${p.covered_days} of ${p.days} days; the total is incomplete (status partial)`);
    }
  }
  const report = compareReport(result, { categories: canonicalFilters(opts, aliases).category });
  await writeReport(markIncomplete(report, rejected), opts, io);
  return 0;
}
