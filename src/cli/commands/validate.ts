// assetloss validate: what was read, accepted, rejected and skipped, per input. Exit 1 on problems.
import { validateReport } from '../../format/validate-view.js';
import { type Io, loadData, writeReport } from '../context.js';
import type { GlobalOptions } from '../options.js';

export async function runValidate(opts: GlobalOptions, io: Io): Promise<number> {
  const { dataset } = await loadData(opts, io, { failOnRejects: false });
  const { report, problems } = validateReport(dataset);
  const warnings = dataset.inputs.reduce((n, i) => n + i.warnings.length, 0);
  await writeReport(report, opts, io);
  return problems > 0 || (opts.strict && warnings > 0) ? 1 : 0;
}
