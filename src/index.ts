// The programmatic API: the same functions the CLI uses, with their types.
//   import { loadSources, total, compare } from 'assetloss';
import { defaultAliases, extendAliases, type AliasTables } from './engine/aliases.js';
import { parseQueryPeriod } from './engine/period.js';
import { InputError } from './model/diagnostics.js';
import type { Period } from './model/model.js';
import { expandDaily } from './engine/daily.js';
import { builtinFiles, type Dataset, type InputReport, loadInputs, type LoadOptions } from './io/load.js';

export type { AssetRecord, Count, Period, Series, Source, Provenance, Vintage } from './model/model.js';
export type { Caveat, CaveatCode, TotalResult, TotalOptions, Interval, VintageOf } from './engine/total.js';
export type { CompareResult, CompareOptions, Comparison, PeriodEntry, Dimension, PerUnit } from './engine/compare.js';
export type { SummaryResult, SummaryOptions, SummaryRow, SummaryBy } from './engine/summary.js';
export type { Dataset, InputReport, LoadOptions, AliasTables };
export type { Diagnostic } from './model/diagnostics.js';
export { InputError };
export { total, totalSeries, chooseCover, vintageLookup } from './engine/total.js';
export { compare } from './engine/compare.js';
export { summarise } from './engine/summary.js';
export { parsePeriodLabel, parseQueryPeriod };
import { parsePeriodLabel } from './engine/period.js';
export { parseCount } from './engine/count.js';
export { defaultAliases, extendAliases };
export { describeCaveat } from './format/caveats.js';

/**
 * Loads answers (CSV, TSV, JSON, NDJSON) into records with their sources and row accounting.
 * With no files, the built-in dataset of MoD answers. Rejected rows are in `inputs[].rejects`.
 */
export async function loadSources(files?: string[], options: Partial<LoadOptions> & { aliases?: AliasTables } = {}): Promise<Dataset> {
  const list = files && files.length ? files : await builtinFiles();
  const dataset = await loadInputs(list, { ...options, aliases: options.aliases ?? defaultAliases() });
  // The CLI keeps an incident log's series dense (see daily.ts); the API gives its day records.
  return { ...dataset, records: expandDaily(dataset.records) };
}

/** Parses a query period ("2025-01", "FY2023-24", "2023..2024"); throws InputError when it cannot. */
export function period(text: string): Period {
  const p = parseQueryPeriod(text);
  if (!p.ok) throw new InputError('BAD_PERIOD', p.reason, {}, 'a period', text);
  return p.period;
}
