// The global options of design §5, shared by every command, and their conversion to loader
// options. One list, so help text, parsing and validation cannot drift apart.
import { Command, InvalidArgumentError, Option } from 'commander';
import type { InputEntry } from '../io/inputs-file.js';
import { ENCODINGS, LAYOUTS, OUTPUT_FORMATS, PARTIAL_POLICIES, type Layout, type OutputFormat, type PartialPolicy } from '../model/vocab.js';

export interface GlobalOptions {
  /** Files from -i (strings); a claims file's `input:` may add inputs file entries. */
  input?: (string | InputEntry)[];
  format?: OutputFormat;
  category?: string[];
  department?: string[];
  status?: string[];
  unit?: string[];
  /** Undefined when not given: compare defaults to error, summary to exclude. */
  partial?: PartialPolicy;
  strict?: boolean;
  lenient?: boolean;
  color: boolean;
  quiet?: boolean;
  debug?: boolean;
  encoding?: (typeof ENCODINGS)[number];
  delimiter?: string;
  layout?: Layout;
  headerRow?: number;
  year?: number;
  aliases?: string;
  textFigures?: boolean;
  offline?: boolean;
  refresh?: boolean;
  crlf?: boolean;
  bom?: boolean;
  /** Write the output here (atomically: a temporary file renamed into place). */
  output?: string;
  /** csv/tsv/ndjson: only these columns, in this order (--fields period,phone). */
  fields?: string[];
}

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

/** Option value parsers: a whole number ≥ 1, a whole number, a number above 0 (the errors name the option). */
export function positiveInt(name: string) {
  return (value: string) => {
    if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError(`${name} must be a whole number ≥ 1`);
    return Number(value);
  };
}

export function wholeNumber(name: string) {
  return (value: string) => {
    if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`${name} must be a whole number`);
    return Number(value);
  };
}

export function positiveNumber(name: string) {
  return (value: string) => {
    const n = Number(value);
    if (!/^\d+(\.\d+)?$/.test(value) || !(n > 0)) throw new InvalidArgumentError(`${name} must be a number above 0`);
    return n;
  };
}

function year(value: string): number {
  if (!/^\d{4}$/.test(value)) throw new InvalidArgumentError('expected a four-digit year such as 2024');
  return Number(value);
}

function delimiter(value: string): string {
  const d = value === '\\t' || value.toLowerCase() === 'tab' ? '\t' : value;
  if (d.length !== 1 || d === '"') throw new InvalidArgumentError('expected one character (use \\t or tab for tabs)');
  return d;
}

/**
 * A choice matched without regard to case (`-f CSV`), given as the canonical lower-case value;
 * help still lists the choices.
 */
export function choiceOption(flags: string, description: string, choices: readonly string[]): Option {
  return new Option(flags, description).choices(choices).argParser((value: string) => {
    const v = value.trim().toLowerCase();
    if (!choices.includes(v)) throw new InvalidArgumentError(`Allowed choices are ${choices.join(', ')}.`);
    return v;
  });
}

/** `format` replaces the output formats for commands with their own (check: text, junit, …). */
export function addGlobalOptions(cmd: Command, format?: Option): Command {
  // The data commands' rows can be cut to the columns a sheet needs (check has its own formats).
  if (!format) cmd.option('--fields <names>', 'csv, tsv, ndjson: only these columns, in this order (comma-separated; see docs/outputs.md)', (v: string, prev: string[] | undefined) => [...(prev ?? []), ...v.split(',').map((x) => x.trim()).filter(Boolean)]);
  return cmd
    .option('-i, --input <file>', 'an input file (CSV, TSV, JSON, NDJSON, answer HTML, an inputs file .yaml; - for stdin); one per -i, repeatable; default: standard input when it is a pipe or a file, else the built-in MoD answers', collect)
    .addOption(format ?? choiceOption('-f, --format <format>', 'output format (default: table on a terminal, csv otherwise)', OUTPUT_FORMATS))
    .option('-o, --output <file>', 'write the output to this file (whole or not at all: a temporary file renamed into place)')
    .option('--category <name>', 'only this category (canonical name or alias; repeatable)', collect)
    .option('--department <name>', 'only this department (repeatable); for inputs with none, the department', collect)
    .option('--status <name>', 'only this status: lost, stolen, lost-or-stolen, recovered (repeatable)', collect)
    .option('--unit <name>', 'only this unit (repeatable)', collect)
    .addOption(new Option('--partial <policy>', 'records crossing a period boundary: error (compare default), exclude (summary default), include, prorate').choices(PARTIAL_POLICIES))
    .option('--strict', 'warnings (Total mismatches, unknown names, blank lines) are errors')
    .option('--lenient', 'keep going past rejected rows: report them and mark the output incomplete')
    .option('--no-color', 'no colour, even on a terminal')
    .option('-q, --quiet', 'no notices on stderr (errors, and warnings that a figure is missing or incomplete, are still printed)')
    .option('--debug', 'show stack traces for unexpected errors')
    .addOption(new Option('--encoding <name>', 'input encoding (UTF-16 is detected by its BOM)').choices(ENCODINGS))
    .option('--delimiter <char>', 'CSV delimiter (default , or tab for .tsv)', delimiter)
    .addOption(new Option('--layout <layout>', 'input layout (default: detected)').choices(LAYOUTS))
    .option('--header-row <n>', 'line number of the header row (rows above it are skipped)', positiveInt('--header-row'))
    .option('--year <yyyy>', 'year for month labels without one (overrides "# year:")', year)
    .option('--aliases <file>', 'JSON file of extra aliases: {"categories": {"BlackBerrys": "phone"}, ...}')
    .option('--offline', 'answers cited as pq:<id> only from the cache: a miss is an error')
    .option('--refresh', 'fetch answers cited as pq:<id> again, keeping a changed answer as a new version')
    .option('--text-figures', 'read the figures of answers with no table from their sentences (each marked from-text)')
    .option('--crlf', 'CSV/TSV output with CRLF line endings')
    .option('--bom', 'CSV/TSV output starts with a UTF-8 BOM (for Excel)');
}
