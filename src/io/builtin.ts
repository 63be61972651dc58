// The built-in dataset, read once at build time into dist/builtin.json so that a command on it
// starts without parsing (or re-validating) the four answers each time. Parsed from the CSVs
// when the prebuilt file is missing or options change how they would be read.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultAliases } from '../engine/aliases.js';
import { builtinFiles, loadInputs } from './load.js';

import { PREBUILT } from './builtin-read.js';

export async function writePrebuiltBuiltin(): Promise<number> {
  const dataset = await loadInputs(await builtinFiles(), { aliases: defaultAliases() });
  const problems = dataset.inputs.flatMap((i) => [...i.rejects, ...i.warnings]);
  if (problems.length) throw new Error(`the built-in dataset has problems: ${problems.map((p) => p.message).join('; ')}`);
  writeFileSync(PREBUILT, JSON.stringify(dataset));
  return dataset.records.length;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const n = await writePrebuiltBuiltin();
  process.stderr.write(`dist/builtin.json: ${n} records\n`);
}
