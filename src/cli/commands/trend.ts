// assetloss trend: a series over time, one point per period from the summary engine, with spikes
// against a robust baseline; a terminal chart, machine rows, or (--chart) an SVG, PNG or
// Vega-Lite spec for an article. The chart libraries load only when a chart file is asked for.
import type { PerUnit } from '../../engine/compare.js';
import { canonicalFilters } from '../../engine/filter.js';
import { type SpikeMethod, trend, type TrendBy } from '../../engine/trend.js';
import { vintageLookup } from '../../engine/total.js';
import { about, chartSeries, type ChartSeries, seriesTitle } from '../../format/chart-series.js';
import { terminalChart } from '../../format/terminal-chart.js';
import { trendReport } from '../../format/trend-view.js';
import type { Period } from '../../model/model.js';
import { ExitError, type Io, loadData, markIncomplete, notice, outputFormat, selectRecords, terminalWidth, useColor, warn, writeFileAtomic, writeOutput, writeReport } from '../context.js';
import type { GlobalOptions } from '../options.js';
import { failOnCaveats } from './engine-errors.js';

export interface TrendOptions extends GlobalOptions {
  by: TrendBy;
  from?: Period;
  to?: Period;
  per: PerUnit;
  spikeMethod: SpikeMethod;
  spikeWindow: number;
  spikeThreshold: number;
  spikeMinPeriods: number;
  chart?: string;
  title?: string;
  charset?: 'ascii' | 'utf-8';
  requireComplete?: boolean;
}

/** UTF-8 unless the locale says otherwise: LC_ALL, then LC_CTYPE, then LANG (unset: the C locale, ASCII). */
export function localeIsUtf8(env: NodeJS.ProcessEnv): boolean {
  const locale = [env.LC_ALL, env.LC_CTYPE, env.LANG].find((v) => v !== undefined && v !== '');
  if (locale === undefined) return process.platform === 'win32';
  return /utf-?8/i.test(locale);
}

const Y_UNIT: Record<string, string> = { month: 'month', quarter: 'quarter', year: 'year', fy: 'financial year' };

/** Writes a chart file (--chart): the spec, or the SVG or PNG drawn from it. */
export async function writeChart(series: ChartSeries, file: string, opts: GlobalOptions, io: Io): Promise<void> {
  const { chartKind, renderChart } = await import('../../format/chart-render.js');
  const { chartSpec } = await import('../../format/chart-spec.js');
  const kind = chartKind(file)!;
  const data = await renderChart(chartSpec(series), kind);
  await writeFileAtomic(file, data);
  notice(io, opts, `chart written to ${file} (${kind === 'vega-lite' ? 'Vega-Lite spec' : kind.toUpperCase()}, ${series.points.length} periods, ${series.notes.length} note${series.notes.length === 1 ? '' : 's'})`);
}

/** A --chart file's name must say what to write: usage error otherwise, before any input is read. */
export async function checkChartFile(file: string | undefined, io: Io): Promise<void> {
  if (file === undefined) return;
  const { chartKind } = await import('../../format/chart-render.js');
  if (!chartKind(file)) {
    io.stderr.write(`assetloss: error: --chart ${file}: the file name must end in .svg, .png or .vl.json (the Vega-Lite spec)\n`);
    throw new ExitError(2);
  }
}

export async function runTrend(opts: TrendOptions, io: Io): Promise<number> {
  if (opts.from && opts.to && opts.from.start > opts.to.end) {
    io.stderr.write(`assetloss: --from ${opts.from.label} (${opts.from.start}) is after --to ${opts.to.label} (${opts.to.end})\n`);
    throw new ExitError(2);
  }
  await checkChartFile(opts.chart, io);
  const { dataset, aliases, rejected } = await loadData(opts, io);
  const records = selectRecords(opts, io, { dataset, aliases });
  const asked = canonicalFilters(opts, aliases).category;
  const spikes = { method: opts.spikeMethod, window: opts.spikeWindow, threshold: opts.spikeThreshold, minPeriods: opts.spikeMinPeriods };
  const result = trend(records, vintageLookup(dataset.sources), { by: opts.by, from: opts.from, to: opts.to, partial: opts.partial ?? 'exclude', columnValues: asked, spikes });
  failOnCaveats(result.caveats, result.points.map((p) => ({ label: p.period.label, gaps: p.total.has_data ? p.total.gaps : [] })), opts, io);
  const title = opts.title ?? seriesTitle(about(records, asked), opts.by);
  const unit = Y_UNIT[opts.by]!;
  const yTitle = `items per ${unit} (a part ${unit}: its per-day rate × its days)`;
  const series = chartSeries({ title, by: opts.by, yTitle, points: result.points, caveats: result.caveats, sources: dataset.sources, spikes, per: opts.per });
  if (records.length > 0 && !result.points.some((p) => p.total.has_data)) warn(io, opts, 'no data in this selection for any period (not zero)');
  const format = outputFormat(opts, io);
  const partial = result.points.filter((p) => p.total.has_data && p.total.covered_days < p.total.days);
  if ((format === 'csv' || format === 'tsv' || format === 'ndjson') && partial.length > 0 && !(opts.chart && !opts.format && !opts.output)) {
    warn(io, opts, `${partial.length} period${partial.length === 1 ? ' is' : 's are'} covered only in part (the first: ${partial[0]!.period.label}, ${partial[0]!.total.covered_days} of ${partial[0]!.total.days} days); the partial column says so and scaled gives the per-day rate × the period's days`);
  }
  if (opts.chart) await writeChart(series, opts.chart, opts, io);
  // With --chart, standard output gets the series only when a format or -o asks for it.
  if (opts.chart && !opts.format && !opts.output) return 0;
  const report = markIncomplete(trendReport(result, series, opts.per), rejected);
  if (format === 'table') {
    const ascii = opts.charset ? opts.charset === 'ascii' : !localeIsUtf8(io.env);
    const lead = rejected ? [`INCOMPLETE: ${rejected} row${rejected === 1 ? '' : 's'} rejected (--lenient); the figures leave them out`] : [];
    const chart = terminalChart({ ...series, notes: [...series.notes, ...lead] }, { width: opts.output ? 80 : terminalWidth(io), ascii, color: !opts.output && useColor(opts, io) });
    await writeOutput([chart], opts, io);
    return 0;
  }
  await writeReport(report, opts, io);
  return 0;
}
