// assetloss check: evaluates a claims file against the data. Exit 0 all pass, 1 any fails
// (or is undetermined without --allow-undetermined), 2 bad claims file or bad data.
import { relative } from 'node:path';
import { evaluateClaim, summariseClaims } from '../../core/claims.js';
import { vintageLookup } from '../../core/total.js';
import { readClaimsFile } from '../../io/claims-file.js';
import { renderCheck } from '../../format/check.js';
import type { CheckFormat } from '../../format/check-formats.js';
import { defaultAliases } from '../../core/aliases.js';
import { type Io, loadData, useColor } from '../context.js';
import type { GlobalOptions } from '../options.js';

export interface CheckOptions extends Omit<GlobalOptions, 'format'> {
  format: CheckFormat;
  allowUndetermined?: boolean;
}

export async function runCheck(opts: CheckOptions, io: Io, [claimsFile]: [string]): Promise<number> {
  const doc = await readClaimsFile(claimsFile!, defaultAliases());
  const input = opts.input?.length ? opts.input : doc.inputs.length ? doc.inputs.map((f) => relative(process.cwd(), f) || f) : undefined;
  const { dataset } = await loadData({ ...opts, input, format: undefined }, io);
  const vintageOf = vintageLookup(dataset.sources);
  const results = doc.claims.map((c) => evaluateClaim(c, dataset.records, vintageOf, { strict: opts.strict }));
  const summary = summariseClaims(results);
  const view = { file: claimsFile!, results, summary, color: useColor(opts as GlobalOptions, io) };
  let out = '';
  for (const chunk of renderCheck(opts.format, view, !!opts.allowUndetermined)) out += chunk;
  io.stdout.write(out);
  return summary.fail > 0 || (summary.undetermined > 0 && !opts.allowUndetermined) ? 1 : 0;
}
