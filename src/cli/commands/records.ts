// assetloss records: the normalised records with provenance, in any format.
import { matchesFilters, canonicalFilters } from '../../core/filter.js';
import { recordsReport } from '../../format/records-view.js';
import { type Io, loadData, writeReport } from '../context.js';
import type { GlobalOptions } from '../options.js';

export async function runRecords(opts: GlobalOptions, io: Io): Promise<number> {
  const { dataset, aliases } = await loadData(opts, io);
  const filters = canonicalFilters(opts, aliases);
  const records = dataset.records.filter((r) => matchesFilters(r, filters, { all: true }));
  await writeReport(recordsReport(dataset, records, !!opts.lenient), opts, io);
  return 0;
}
