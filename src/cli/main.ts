// The process boundary: commander wiring, exit codes (0 ok, 1 a check found a problem, 2 usage
// or bad input), errors as one clean line, quiet exit on a closed pipe. Commands load lazily.
import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { DIMENSIONS, PER_UNITS } from '../engine/compare.js';
import { SUMMARY_BY } from '../engine/summary.js';
import { DEFAULT_SPIKES, SPIKE_METHODS, TREND_BY } from '../model/trend-vocab.js';
import { CHECK_FORMATS } from '../format/check-formats.js';
import { periodArg, periodList } from './periods.js';
import { escapeControls, InputError } from '../model/diagnostics.js';
import { checkOutputOptions, diagnosticLine, ExitError, type Io, outputFormat } from './context.js';
import { addGlobalOptions, choiceOption, type GlobalOptions, positiveNumber, wholeNumber } from './options.js';
import { registerPq } from './commands/pq.js';
import { fileProblem } from '../io/fs-errors.js';
// The everyday commands are part of the main bundle (fewer modules to load at start-up); the
// heavy ones (check with yaml, pq with parse5, schema with zod, the human table) load on demand.
import { runCompare } from './commands/compare.js';

/** One version, package.json's (dist/cli and dist/bundle are both two levels below it). */
export const VERSION: string = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;

const EXAMPLES = `
Examples:
  $ assetloss records                          # the built-in MoD answers as CSV records
  $ assetloss records -f json > records.json   # the interchange format (reads back with -i)
  $ assetloss validate -i answer.csv           # row accounting, rejects, Total checks
  $ assetloss records -i answer.csv --lenient  # keep going past bad rows (reported, output marked)
  $ assetloss compare 2025-01-01..2025-02-27 2023..2024 --category phone
  $ assetloss summary --by month --from 2024-01 --category phone
  $ assetloss trend --category phone            # a chart of the months, spikes marked
  $ assetloss check fixtures/claims/express-2025-03.yaml
  $ assetloss pq fetch 1789012 -o answer.json  # a written answer from Parliament (then -i answer.json)

Exit codes: 0 success; 1 validate or check found a problem; 2 usage error or bad input.`;

/**
 * A command's run function: its options and arguments as commander parsed them, each command
 * with its own options type. A method's parameters, so that every run function fits this one type.
 */
type Action = { run(opts: object, io: Io, args: unknown[]): Promise<number> }['run'];

export const COMMANDS = ['compare', 'summary', 'trend', 'records', 'validate', 'check', 'schema', 'pq'] as const;

/** A data command: its help, the module that runs it (loaded when it runs), its own arguments and options. */
interface CommandSpec {
  name: string;
  description: string;
  examples: string[];
  load: () => Promise<Action>;
  configure?: (c: Command) => Command;
  /** Its own -f choices (check's formats), else the data formats. */
  format?: () => Option;
  /** The command takes its input files as arguments too (`records a.csv b.csv`), after any -i. */
  files?: boolean;
}

const DATA_COMMANDS: CommandSpec[] = [
  {
    name: 'compare',
    description: 'the first period against each of the others: totals, days, coverage, rates, ratios',
    examples: [
      '  $ assetloss compare 2025-01-01..2025-02-27 2023..2024 --category phone',
      '  $ assetloss compare 2024-07 2024-10 --by category -f json',
      '  $ assetloss compare FY2023-24 2024-Q1 --per month',
      '',
      'Periods: 2025-01-01, 2025-01, 2025, 2025-Q1, FY2023-24 (or 2023/24), and ranges A..B of any of',
      'these. A bare 2011-12 is a month. Totals never count a day twice: see docs/totals.md.',
    ],
    load: async () => runCompare,
    configure: (c) => c
      .argument('<period>', 'the period to compare', periodArg)
      .argument('<periods...>', 'the periods to compare it with', periodList)
      .addOption(choiceOption('--by <dimension>', 'one comparison per category, department, status or unit', DIMENSIONS))
      .addOption(choiceOption('--per <unit>', 'rate unit', PER_UNITS).default('day'))
      .option('--require-complete', 'fail (exit 2) when a period has days no figure covers'),
  },
  {
    name: 'summary',
    description: 'a pivot of totals by month, quarter, year or financial year, categories as columns',
    examples: [
      '  $ assetloss summary --by month --from 2024-01 --to 2025-02 --category phone',
      '  $ assetloss summary --by fy -f csv',
      '  $ assetloss summary --by department --columns status',
      '  $ assetloss summary -i answers.yaml --by department --own-periods --per year',
      '  $ assetloss summary --by year --category phone --chart phones-by-year.svg',
    ],
    load: async () => (await import('./commands/summary.js')).runSummary,
    configure: (c) => c
      .addOption(choiceOption('--by <rows>', 'rows: a calendar unit or a dimension', SUMMARY_BY).default('month'))
      .addOption(choiceOption('--columns <dimension>', 'columns (default category)', DIMENSIONS))
      .option('--from <period>', 'first period (its start day)', periodArg)
      .option('--to <period>', 'last period (its end day)', periodArg)
      .option('--require-complete', 'fail (exit 2) when a cell has days no figure covers')
      .option('--own-periods', 'rows by a dimension, each over its own period (as each body answered), with days and a rate')
      .addOption(choiceOption('--per <unit>', 'rate unit of --own-periods', PER_UNITS).default('day'))
      .option('--no-total', 'leave out the totals row and the total columns (a clean sheet for a chart)')
      .option('--chart <file>', 'also draw the total column as a chart: .svg, .png, or .vl.json (the Vega-Lite spec), as trend --chart')
      .option('--title <text>', 'the chart title (default: from the selection)'),
    files: true,
  },
  {
    name: 'trend',
    description: 'a series over time, one bar per period, with spikes against a robust baseline; --chart for an SVG or PNG',
    examples: [
      '  $ assetloss trend --category phone --by month',
      '  $ assetloss trend --category usb -f csv',
      '  $ assetloss trend --category phone --from 2023-01 --chart phones.svg',
      '  $ assetloss trend --by quarter --spike-threshold 5 --spike-method others',
      '',
      'A part period is drawn as its per-day rate times its days (marked *); a gap as a gap, never 0;',
      'a range as a range. A spike: (rate - median) / max(1.4826 x MAD, one item in the period) of the',
      'periods before it, at least --spike-threshold. See docs/commands.md#trend.',
    ],
    load: async () => (await import('./commands/trend.js')).runTrend,
    configure: (c) => c
      .addOption(choiceOption('--by <period>', 'one point per month, quarter, year or fy (April to March)', TREND_BY).default('month'))
      .option('--from <period>', 'first period (its start day)', periodArg)
      .option('--to <period>', 'last period (its end day)', periodArg)
      .addOption(choiceOption('--per <unit>', 'rate unit of the rate and baseline columns', PER_UNITS).default('day'))
      .addOption(choiceOption('--spike-method <method>', 'baseline: preceding (the periods before it) or others (every other period)', SPIKE_METHODS).default(DEFAULT_SPIKES.method))
      .option('--spike-window <n>', 'preceding: how many periods before it (0: all)', wholeNumber('--spike-window'), DEFAULT_SPIKES.window)
      .option('--spike-threshold <score>', 'a spike scores at least this', positiveNumber('--spike-threshold'), DEFAULT_SPIKES.threshold)
      .option('--spike-min-periods <n>', 'fewer baseline periods than this: not judged', wholeNumber('--spike-min-periods'), DEFAULT_SPIKES.minPeriods)
      .option('--chart <file>', 'also draw the chart for an article: .svg, .png, or .vl.json (the Vega-Lite spec)')
      .option('--title <text>', 'the chart title (default: from the selection)')
      .addOption(choiceOption('--charset <charset>', 'terminal chart characters: utf-8 or ascii (default: from LC_ALL, LC_CTYPE, LANG)', ['utf-8', 'ascii']))
      .option('--require-complete', 'fail (exit 2) when a period has days no figure covers'),
    files: true,
  },
  {
    name: 'records',
    description: 'the normalised records, with provenance, in any format',
    examples: [
      '  $ assetloss records --category phone -f csv > phones.csv',
      '  $ assetloss records -i mod-2023.csv -i mod-2024.csv -f json',
      '  $ assetloss records -i answer.csv --year 2024 --department "Home Office"',
    ],
    load: async () => (await import('./commands/records.js')).runRecords,
    files: true,
  },
  {
    name: 'validate',
    description: 'row accounting per input: read = accepted + rejected + skipped; rejects, Total checks',
    examples: [
      '  $ assetloss validate                       # the built-in dataset',
      '  $ assetloss validate -i answer.csv -f json',
    ],
    load: async () => (await import('./commands/validate.js')).runValidate,
    files: true,
  },
  {
    name: 'check',
    description: 'verify published claims (YAML or JSON) against the data; exit 1 when any fails',
    examples: [
      '  $ assetloss check fixtures/claims/express-2025-03.yaml',
      '  $ assetloss check claims.yaml -f junit > claims.xml',
      '  $ assetloss check claims.yaml -f github      # annotations in a GitHub Actions log',
      '  $ assetloss check claims.yaml --state --refresh   # scheduled: re-fetch cited answers, say what changed',
      '',
      'Exit codes: 0 every claim passes; 1 a claim fails, or is undetermined (suppressed cells)',
      'unless --allow-undetermined; 2 a bad claims file or bad data. Schema: assetloss schema claims',
    ],
    load: async () => (await import('./commands/check.js')).runCheck,
    configure: (c) => c
      .argument('<claims-file>', 'claims file (.yaml, .yml or .json)')
      .option('--allow-undetermined', 'claims that suppressed cells leave undetermined do not fail the run')
      .option('--state [file]', 'remember the results (default: beside the claims file, claims.state.json) and report what changed since the last run'),
    format: () => choiceOption('-f, --format <format>', 'output format', CHECK_FORMATS).default('text'),
  },
];

/**
 * The program. `only` names the command being run: the others are left out, since building
 * every command's options costs start-up time (top-level help builds them all).
 */
export function buildProgram(io: Io, run: (action: () => Promise<number>) => void, only?: string): Command {
  const wanted = (name: string) => !only || only === name;
  const program = new Command('assetloss')
    .description('Lost and stolen device figures from UK parliamentary answers, as typed records and exact totals.')
    .version(VERSION, '-V, --version')
    .addHelpText('before', `${EXAMPLES.trim()}\n`)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(s.startsWith('error:') ? `assetloss: ${s}` : s),
    });
  for (const spec of DATA_COMMANDS) if (wanted(spec.name)) addDataCommand(program, spec, io, run);

  if (wanted('schema')) program.command('schema')
    .description('JSON Schema of a machine format: records (the record rows) or claims (the claims file)')
    .argument('<which>', 'records or claims')
    .addHelpText('before', 'Examples:\n  $ assetloss schema claims > claims.schema.json\n  $ assetloss schema records\n')
    .exitOverride()
    .action((which: string) => {
      run(async () => (await import('./commands/schema.js')).runSchema(which, io));
    });

  if (wanted('pq')) registerPq(program, io, run);

  return program;
}

function addDataCommand(program: Command, spec: CommandSpec, io: Io, run: (action: () => Promise<number>) => void): void {
  const { name, files = false } = spec;
  let cmd = (spec.configure ?? ((c: Command) => c))(program.command(name).description(spec.description));
  if (files) cmd = cmd.argument('[files...]', 'input files, as with -i (read after any -i)');
  addGlobalOptions(cmd, spec.format?.())
    .addHelpText('before', `Examples:\n${spec.examples.join('\n')}\n`)
    .exitOverride()
    .action(async (...args: unknown[]) => {
      const c = args[args.length - 1] as Command;
      let positional = args.slice(0, -2).flat();
      let opts = c.opts() as GlobalOptions;
      if (files) {
        const named = positional as string[];
        if (named.length) opts = { ...opts, input: [...(opts.input ?? []), ...named] };
        positional = [];
      }
      run(async () => {
        checkOutputOptions(opts, name === 'check' ? String(opts.format) : outputFormat(opts, io), io);
        return (await spec.load())(opts, io, positional);
      });
    });
}

function reportError(err: unknown, io: Io, debug: boolean): number {
  if (err instanceof ExitError) return err.exitCode;
  if (err instanceof InputError) {
    io.stderr.write(`assetloss: ${diagnosticLine(err.toDiagnostic(), debug)}\n`);
    if (debug && err.stack) io.stderr.write(`${err.stack}\n`);
    return 2;
  }
  io.stderr.write(`assetloss: internal error: ${escapeControls((err as Error)?.message ?? String(err))}${debug ? '' : ' (run with --debug for details)'}\n`);
  if (debug && (err as Error)?.stack) io.stderr.write(`${(err as Error).stack}\n`);
  return 2;
}

/** Runs the CLI; resolves to the exit code (tests call this in-process). */
export async function runCli(argv: string[], io: Io): Promise<number> {
  const debug = argv.includes('--debug');
  let pending: Promise<number> | undefined;
  const name = argv[2];
  if (name === undefined) {
    // No command at all: a usage error (exit 2), with the help on stderr.
    buildProgram(io, () => {}).outputHelp({ error: true });
    return 2;
  }
  if (name === 'help' && argv[3] !== undefined && !(COMMANDS as readonly string[]).includes(argv[3])) {
    // `assetloss help nosuch` is a usage error, as `assetloss nosuch` is.
    io.stderr.write(`assetloss: error: unknown command '${argv[3]}' (commands: ${COMMANDS.join(', ')})\n`);
    return 2;
  }
  const only = (COMMANDS as readonly string[]).includes(name ?? '') ? name : undefined;
  const program = buildProgram(io, (action) => {
    pending = action();
  }, only);
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      // `check -i a.csv b.csv claims.yaml`: -i takes one file, the second is an argument too many.
      if (err.code === 'commander.excessArguments' && argv.some((a) => a === '-i' || a === '--input' || a.startsWith('--input='))) {
        io.stderr.write('assetloss: hint: -i takes one file; give each file its own -i (-i a.csv -i b.csv)\n');
      }
      // Usage errors exit 2 (commander's own code is 1).
      return 2;
    }
    return reportError(err, io, debug);
  }
  if (!pending) {
    program.outputHelp({ error: true });
    return 2;
  }
  try {
    return await pending;
  } catch (err) {
    return reportError(err, io, debug);
  }
}

export async function main(argv: string[]): Promise<void> {
  // `assetloss … | head -1`: a closed pipe is a normal end, not an error. Any other write error
  // (`> /dev/full`: ENOSPC) is bad output, exit 2, in one line: never a stack trace, never exit 1
  // (which `check` uses for a failed claim).
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    process.stderr.write(`assetloss: cannot write to standard output: ${fileProblem(err, 'write') ?? err.message}\n`);
    process.exit(2);
  });
  // stdin as a getter: the stream is set up only when it is read (see peekStdin).
  const code = await runCli(argv, { stdout: process.stdout, stderr: process.stderr, env: process.env, get stdin() { return process.stdin; }, stdinFd: 0 });
  process.exitCode = code;
}
