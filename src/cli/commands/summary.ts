// assetloss summary: a pivot of totals; each cell from the same engine as compare.
import type { Dimension, PerUnit } from '../../engine/compare.js';
import { summarise, type SummaryBy } from '../../engine/summary.js';
import { vintageLookup } from '../../engine/total.js';
import { summaryReport } from '../../format/summary-view.js';
import type { Period } from '../../model/model.js';
import { ExitError, type Io, loadData, markIncomplete, outputFormat, selectRecords, warn, writeReport } from '../context.js';
import { canonicalFilters } from '../../engine/filter.js';
import type { GlobalOptions } from '../options.js';
import { failOnCaveats } from './engine-errors.js';

export interface SummaryOptions extends GlobalOptions {
  by: SummaryBy;
  columns?: Dimension;
  from?: Period;
  to?: Period;
  requireComplete?: boolean;
  /** Rows by a dimension, each over its own period (as each body answered). */
  ownPeriods?: boolean;
  per?: PerUnit;
  /** --no-total: commander sets total false. */
  total: boolean;
  /** Draw the total column as a chart (.svg, .png, .vl.json), as `trend --chart` does. */
  chart?: string;
  title?: string;
}

export async function runSummary(opts: SummaryOptions, io: Io): Promise<number> {
  // A span that ends before it starts is a usage error, found before any file is read.
  if (opts.from && opts.to && opts.from.start > opts.to.end) {
    io.stderr.write(`assetloss: --from ${opts.from.label} (${opts.from.start}) is after --to ${opts.to.label} (${opts.to.end})\n`);
    throw new ExitError(2);
  }
  if (opts.per && opts.per !== 'day' && !opts.ownPeriods) {
    io.stderr.write('assetloss: --per gives the rate of --own-periods: add --own-periods (rows by a dimension, each over its own period)\n');
    throw new ExitError(2);
  }
  if (opts.ownPeriods && ['month', 'quarter', 'year', 'fy'].includes(opts.by)) {
    io.stderr.write(`assetloss: --own-periods needs rows by a dimension (--by department, category, status or unit), not --by ${opts.by}\n`);
    throw new ExitError(2);
  }
  if (opts.chart && opts.ownPeriods) {
    io.stderr.write('assetloss: error: --chart draws totals side by side, and --own-periods rows cover different periods: compare their rates with -f csv instead\n');
    throw new ExitError(2);
  }
  if (opts.chart) await (await import('./trend.js')).checkChartFile(opts.chart, io);
  const { dataset, aliases, rejected } = await loadData(opts, io);
  const records = selectRecords(opts, io, { dataset, aliases });
  // In a pivot, a record coarser than a cell (a year beside months) is left out of that cell with
  // a caveat unless --partial says otherwise; --partial error makes it stop the run.
  const partial = opts.partial ?? 'exclude';
  const dimension = opts.columns ?? 'category';
  const asked = dimension === 'unit' ? undefined : canonicalFilters(opts, aliases)[dimension];
  const result = summarise(records, vintageLookup(dataset.sources), { by: opts.by, columns: opts.columns, from: opts.from, to: opts.to, partial, columnValues: asked, ownPeriods: opts.ownPeriods });
  const cells = result.rows.flatMap((r) => [...r.cells.values()].map((c) => ({ label: `${r.group ?? r.period.label}`, gaps: c.has_data ? c.gaps : [] })));
  failOnCaveats(result.caveats, cells, opts, io);
  // csv, tsv and ndjson have no place to mark a figure that covers only part of its period (JSON
  // lists the gaps, the human formats mark it): stderr says so, never silence.
  const format = outputFormat(opts, io);
  const partialCells = cells.filter((c) => c.gaps.length > 0);
  if ((format === 'csv' || format === 'tsv' || format === 'ndjson') && partialCells.length > 0 && !(opts.chart && !opts.format && !opts.output)) {
    const first = partialCells[0]!;
    const g = first.gaps[0]!;
    warn(io, opts, `${partialCells.length} figure${partialCells.length === 1 ? ' covers' : 's cover'} only part of ${partialCells.length === 1 ? 'its' : 'their'} period (the first: ${first.label}, nothing for ${g.start === g.end ? g.start : `${g.start}..${g.end}`}); the status column says partial, -f json lists every gap`);
  }
  // No figure anywhere in the span asked for: said in every format, not only as empty cells.
  if (records.length > 0 && result.rows.length > 0 && !result.rows.some((r) => r.total.has_data)) {
    warn(io, opts, `no data for ${result.span!.period.start}..${result.span!.period.end} in this selection (not zero)`);
  }
  if (opts.chart) {
    const { about, chartSeries, seriesTitle, BY_WORDS } = await import('../../format/chart-series.js');
    const { pointOf } = await import('../../engine/trend.js');
    const { writeChart } = await import('./trend.js');
    const calendar = opts.by in BY_WORDS;
    const none = { status: 'no_rate' as const, baseline: null, mad: null, scale: null, periods: 0, score: null, score_min: null, score_max: null, factor: null };
    const points = result.rows.map((r) => ({ ...pointOf(calendar ? r.period : { ...r.period, label: r.group ?? r.period.label }, r.total, { scale: calendar }), spike: none }));
    const span = result.span?.period;
    const yTitle = calendar ? `items per ${BY_WORDS[opts.by]} (the summary's total column)` : `items${span ? `, ${span.start} to ${span.end}` : ''} (the summary's total column)`;
    const series = chartSeries({ title: opts.title ?? seriesTitle(about(records, asked), opts.by), by: opts.by, yTitle, points, caveats: result.caveats, sources: dataset.sources, allCaveats: !calendar });
    await writeChart(series, opts.chart, opts, io);
    // With --chart, standard output gets the pivot only when a format or -o asks for it.
    if (!opts.format && !opts.output) return 0;
  }
  await writeReport(markIncomplete(summaryReport(result, { noTotal: !opts.total, per: opts.per }), rejected), opts, io);
  return 0;
}
