// assetloss records: the normalised records with provenance, in any format.
import { expandDaily } from '../../engine/daily.js';
import { recordsReport } from '../../format/records-view.js';
import { type Io, loadData, selectRecords, writeReport } from '../context.js';
import type { GlobalOptions } from '../options.js';

export async function runRecords(opts: GlobalOptions, io: Io): Promise<number> {
  const { dataset, aliases } = await loadData(opts, io);
  // Every status, recovered items too: records lists what the answers say.
  // An incident log's series are kept dense; here they are shown as the day records they stand for.
  const records = expandDaily(selectRecords(opts, io, { dataset, aliases }, { all: true }));
  await writeReport(recordsReport(dataset, records, !!opts.lenient), opts, io);
  return 0;
}
