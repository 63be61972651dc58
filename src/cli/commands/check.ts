// assetloss check: evaluates a claims file against the data. Exit 0 all pass, 1 any fails
// (or is undetermined without --allow-undetermined), 2 bad claims file or bad data.
import { evaluateClaim, summariseClaims } from '../../engine/claims.js';
import { changesSince, type ClaimChange, memoryOf } from '../../engine/check-state.js';
import { vintageLookup } from '../../engine/total.js';
import { readClaimsFile } from '../../io/claims-file.js';
import { renderCheck, renderCheckError } from '../../format/check.js';
import { InputError } from '../../model/diagnostics.js';
import type { CheckFormat } from '../../format/check-formats.js';
import { defaultAliases } from '../../engine/aliases.js';
import { type Io, loadData, selectRecords, useColor, writeOutput } from '../context.js';
import type { GlobalOptions } from '../options.js';

export interface CheckOptions extends Omit<GlobalOptions, 'format'> {
  format: CheckFormat;
  allowUndetermined?: boolean;
  /** --state (true: beside the claims file) or --state FILE. */
  state?: string | boolean;
}

export async function runCheck(opts: CheckOptions, io: Io, [claimsFile]: [string]): Promise<number> {
  // The claims file first: a bad one stops the run before any data is read.
  const partial = { partial: opts.partial };
  let doc;
  try {
    doc = await readClaimsFile(claimsFile!, defaultAliases(), partial);
  } catch (err) {
    // A CI reporter reading claims.xml needs a document that says the run broke, not no file.
    if (err instanceof InputError && (opts.format === 'junit' || opts.format === 'tap' || opts.format === 'github')) {
      await writeOutput(renderCheckError(opts.format, claimsFile!, err.toDiagnostic()), opts, io);
    }
    throw err;
  }
  // -i overrides the file's `input:` (whose paths are relative to the claims file).
  const input = opts.input?.length ? opts.input : doc.inputs.length ? doc.inputs : undefined;
  const { dataset, aliases } = await loadData({ ...opts, input, format: undefined }, io);
  // With --aliases, the claims' names resolve through the same tables as the data's.
  if (opts.aliases) doc = await readClaimsFile(claimsFile!, aliases, partial);
  // The global filters narrow the data, as in every command; the claims' own filters apply within it.
  const records = selectRecords(opts as GlobalOptions, io, { dataset, aliases });
  const vintageOf = vintageLookup(dataset.sources);
  const results = doc.claims.map((c) => evaluateClaim(c, records, vintageOf, { strict: opts.strict }));
  const summary = summariseClaims(results);
  // --state: what changed since the last run (flipped claims, moved figures, the answers behind them).
  let changes: ClaimChange[] | undefined;
  let first = false;
  if (opts.state) {
    const { defaultStatePath, readState, writeState } = await import('../../io/check-state-file.js');
    const path = typeof opts.state === 'string' ? opts.state : defaultStatePath(claimsFile!);
    const before = await readState(path);
    const vintages = new Map(dataset.sources.map((s) => [s.id, s.vintage.date] as const));
    const now = Object.fromEntries(results.map((r) => [r.id, memoryOf(r, (id) => vintages.get(id) ?? null)]));
    changes = changesSince(before, results, now);
    first = before === undefined;
    // Written before the report: a state that cannot be kept fails the run with nothing printed.
    await writeState(path, { claims_file: claimsFile!, checked: new Date().toISOString(), claims: now });
  }
  const view = { file: claimsFile!, results, summary, color: useColor(opts as GlobalOptions, io), changes, first };
  await writeOutput(renderCheck(opts.format, view, !!opts.allowUndetermined), opts, io);
  return summary.fail > 0 || (summary.undetermined > 0 && !opts.allowUndetermined) ? 1 : 0;
}
