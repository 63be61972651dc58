// assetloss pq fetch / pq search: written answers from the Parliament Written Questions API,
// saved as the API's own JSON, which `--input` reads. The wiring is registered with the program
// at start-up (a few option parsers); the HTTP client and the answer reader load when a command runs.
import { type Command, InvalidArgumentError, Option } from 'commander';
import { parseIsoDay } from '../../engine/dates.js';
import { defaultAliases, resolveDepartment } from '../../engine/aliases.js';
import { escapeControls } from '../../model/diagnostics.js';
import { diagnosticLine, ExitError, type Io, writeOutput } from '../context.js';
import { positiveInt } from '../options.js';
import type { QuestionItem } from '../../io/pq-schema.js';
import type { PqClient, SearchQuery } from '../../io/pq-client.js';

/** Answering body ids of the API for the departments people ask about most (MoD is 11). */
export const ANSWERING_BODY_IDS: Record<string, number> = { MOD: 11, DEFRA: 13, DHSC: 17 };

const HOUSES = { commons: 'Commons', lords: 'Lords', bicameral: 'Bicameral' } as const;

interface CommonOptions {
  output?: string;
  quiet?: boolean;
  debug?: boolean;
}

interface FetchOptions extends CommonOptions {
  uin?: string;
  tabled?: string;
}

interface SearchOptions extends CommonOptions {
  term?: string;
  body?: number[];
  answeredFrom?: string;
  answeredTo?: string;
  tabledFrom?: string;
  tabledTo?: string;
  house?: SearchQuery['house'];
  limit: number;
  pageSize: number;
}

function day(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || parseIsoDay(value) === undefined) throw new InvalidArgumentError('expected a date YYYY-MM-DD');
  return value;
}

/** `--body 11`, `--body MoD`, `--body "Ministry of Defence"`: an answering body id. */
function body(value: string, previous: number[] | undefined): number[] {
  let id: number | undefined;
  if (/^\d+$/.test(value.trim())) id = Number(value.trim());
  else {
    const d = resolveDepartment(defaultAliases(), value);
    id = d.known ? ANSWERING_BODY_IDS[d.value] : undefined;
    if (id === undefined) {
      throw new InvalidArgumentError(`no answering body id known for "${value}": give the API's numeric id (known: ${Object.entries(ANSWERING_BODY_IDS).map(([k, v]) => `${k} ${v}`).join(', ')})`);
    }
  }
  return [...(previous ?? []), id];
}

function house(value: string): SearchQuery['house'] {
  const h = HOUSES[value.trim().toLowerCase() as keyof typeof HOUSES];
  if (!h) throw new InvalidArgumentError('expected Commons, Lords or Bicameral');
  return h;
}

const FETCH_EXAMPLES = `
Examples:
  $ assetloss pq fetch 1789012 -o answer.json
  $ assetloss pq fetch --uin 89637 --tabled 2021-12-08 -o answer.json
  $ assetloss records -i answer.json            # the answer's tables as records`;

const SEARCH_EXAMPLES = `
Examples:
  $ assetloss pq search --term "mobile phones lost" --body MoD --answered-from 2024-07-05 -o answers.json
  $ assetloss pq search --term laptops --body 11 --tabled-from 2025-01-01 --house commons
  $ assetloss validate -i answers.json          # which answers have tables, and what they hold

List results carry only a preview of each answer, so every hit is fetched in full.`;

const ENVIRONMENT = `
Environment:
  ASSETLOSS_PQ_API         API root (default https://questions-statements-api.parliament.uk)
  ASSETLOSS_PQ_TIMEOUT_MS  timeout per request (default 30000)
  ASSETLOSS_PQ_RETRIES     retries after a 429, 5xx, timeout or network failure (default 3)
  ASSETLOSS_PQ_RETRY_MS    first wait before a retry, doubled each time (default 1000)
  ASSETLOSS_PQ_MAX_BYTES   largest response body read, after decompression (default 16777216)`;

export function registerPq(program: Command, io: Io, run: (action: () => Promise<number>) => void): void {
  const pq = program.command('pq')
    .description('written answers from the Parliament Written Questions API, saved as JSON that --input reads')
    .addHelpText('before', `${FETCH_EXAMPLES.trim()}\n`).addHelpText('after', `\n${ENVIRONMENT.trim()}`)
    .exitOverride();
  const common = (c: Command) => c
    .option('-o, --output <file>', 'write the JSON here (default: standard output)')
    .option('-q, --quiet', 'no notices on stderr (errors are still printed)')
    .option('--debug', 'show stack traces for unexpected errors')
    .addHelpText('after', ENVIRONMENT)
    .exitOverride();

  common(pq.command('fetch')
    .description('fetch questions and their answers in full, by id or by tabled date and UIN')
    .argument('[ids...]', 'question ids', (v: string, prev: number[] | undefined) => [...(prev ?? []), positiveInt('a question id')(v)])
    .option('--uin <uin>', 'the question\'s UIN (with --tabled)')
    .option('--tabled <date>', 'the date the question was tabled, YYYY-MM-DD (with --uin)', day)
    .addHelpText('before', `${FETCH_EXAMPLES.trim()}\n`))
    .action((ids: number[] | undefined, opts: FetchOptions) => {
      run(() => runPqFetch(ids ?? [], opts, io));
    });

  common(pq.command('search')
    .description('search written questions; page through every hit and fetch each in full')
    .option('--term <text>', 'words in the question or answer')
    .option('--body <name-or-id>', 'answering body: a numeric id or a department name (MoD is 11); repeatable', body)
    .option('--answered-from <date>', 'answered on or after YYYY-MM-DD', day)
    .option('--answered-to <date>', 'answered on or before YYYY-MM-DD', day)
    .option('--tabled-from <date>', 'tabled on or after YYYY-MM-DD', day)
    .option('--tabled-to <date>', 'tabled on or before YYYY-MM-DD', day)
    .addOption(new Option('--house <house>', 'Commons, Lords or Bicameral').argParser(house))
    .option('--limit <n>', 'fetch at most this many questions', positiveInt('--limit'), 100)
    .option('--page-size <n>', 'results per list request (the API\'s take)', positiveInt('--page-size'), 20)
    .addHelpText('before', `${SEARCH_EXAMPLES.trim()}\n`))
    .action((opts: SearchOptions) => {
      run(() => runPqSearch(opts, io));
    });
}

function usage(io: Io, message: string, command: string): never {
  io.stderr.write(`assetloss: error: ${message}\n(run assetloss pq ${command} --help for usage)\n`);
  throw new ExitError(2);
}

/** One line on stderr, rewritten in place, only on a terminal and without --quiet. */
function progress(io: Io, opts: CommonOptions) {
  const live = !!io.stderr.isTTY && !opts.quiet;
  let shown = false;
  return {
    step(text: string) {
      if (!live) return;
      io.stderr.write(`\r\u001b[Kassetloss: ${escapeControls(text)}`);
      shown = true;
    },
    retry(info: { attempt: number; reason: string; waitMs: number }) {
      if (!live) return;
      io.stderr.write(`\r\u001b[Kassetloss: ${escapeControls(info.reason)}; retry ${info.attempt} in ${(info.waitMs / 1000).toFixed(1)} s`);
      shown = true;
    },
    done() {
      if (shown) io.stderr.write('\r\u001b[K');
      shown = false;
    },
  };
}

async function client(io: Io, p: ReturnType<typeof progress>): Promise<PqClient> {
  const { PqClient: Client, clientOptionsFromEnv } = await import('../../io/pq-client.js');
  return new Client({ ...clientOptionsFromEnv(io.env), onRetry: p.retry });
}

export async function runPqFetch(ids: number[], opts: FetchOptions, io: Io): Promise<number> {
  if (ids.length > 0 && (opts.uin !== undefined || opts.tabled !== undefined)) usage(io, 'give question ids, or --uin with --tabled, not both', 'fetch');
  if ((opts.uin === undefined) !== (opts.tabled === undefined)) usage(io, '--uin and --tabled go together (a UIN is unique only with its tabled date)', 'fetch');
  if (ids.length === 0 && opts.uin === undefined) usage(io, 'give a question id, or --uin UIN --tabled YYYY-MM-DD', 'fetch');
  const p = progress(io, opts);
  const api = await client(io, p);
  const items: QuestionItem[] = [];
  try {
    if (opts.uin !== undefined) {
      p.step(`fetching UIN ${opts.uin} tabled ${opts.tabled}`);
      items.push(await api.questionByUin(opts.tabled!, opts.uin));
    }
    for (const [i, id] of ids.entries()) {
      p.step(`fetching question ${id} (${i + 1} of ${ids.length})`);
      items.push(await api.question(id));
    }
  } finally {
    p.done();
  }
  const doc = items.length === 1 ? items[0]! : { totalResults: items.length, results: items };
  await save(doc, items, opts, io);
  return 0;
}

export async function runPqSearch(opts: SearchOptions, io: Io): Promise<number> {
  const query: SearchQuery = {
    searchTerm: opts.term, answeringBodies: opts.body, answeredWhenFrom: opts.answeredFrom, answeredWhenTo: opts.answeredTo,
    tabledWhenFrom: opts.tabledFrom, tabledWhenTo: opts.tabledTo, house: opts.house,
  };
  if (!opts.term && !opts.body && !opts.answeredFrom && !opts.answeredTo && !opts.tabledFrom && !opts.tabledTo) {
    usage(io, 'say what to search for: --term, --body or a date range (the whole API is too much to fetch)', 'search');
  }
  for (const [from, to, name] of [[opts.answeredFrom, opts.answeredTo, 'answered'], [opts.tabledFrom, opts.tabledTo, 'tabled']] as const) {
    if (from && to && from > to) usage(io, `--${name}-from ${from} is after --${name}-to ${to}`, 'search');
  }
  const p = progress(io, opts);
  const api = await client(io, p);
  const results: QuestionItem[] = [];
  let total = 0;
  try {
    const found = await api.searchAll(query, opts.pageSize, opts.limit, (seen, all) => p.step(`listing: ${seen} of ${all}`));
    total = found.total;
    // List results carry a preview of the answer (cut short with "..."): fetch each in full.
    for (const [i, preview] of found.previews.entries()) {
      p.step(`fetching question ${preview.value.id} (${i + 1} of ${found.previews.length})`);
      results.push(await api.question(preview.value.id));
    }
  } finally {
    p.done();
  }
  if (!opts.quiet) {
    if (total === 0) io.stderr.write('assetloss: no questions match\n');
    else if (total > results.length && results.length >= opts.limit) io.stderr.write(`assetloss: ${total} questions match; saved the first ${results.length} (--limit ${opts.limit})\n`);
    // The API's total and its pages disagree: say so, rather than blame --limit.
    else if (total !== results.length) io.stderr.write(`assetloss: warning: the API said ${total} question${total === 1 ? '' : 's'} match but listed ${results.length}; saved those ${results.length}\n`);
  }
  await save({ totalResults: total, results }, results, opts, io);
  return 0;
}

/**
 * Reads the document as `--input` will (so a problem is found before anything is written), writes
 * it (to `-o` through a temporary file renamed into place: a failed run leaves an existing file as
 * it was), then says on stderr what each answer holds.
 */
async function save(doc: unknown, items: QuestionItem[], opts: CommonOptions, io: Io): Promise<void> {
  const text = `${JSON.stringify(doc, null, 2)}\n`;
  const { readWrittenAnswersJson } = await import('../../io/pq-read.js');
  const where = opts.output ?? '<stdout>';
  const read = items.length === 0 ? undefined : readWrittenAnswersJson(text, { file: where, id: 'pq', position: 0, aliases: defaultAliases() });
  await writeOutput([text], opts, io);
  if (opts.quiet || !read) return;
  for (const r of read.report.rejects) io.stderr.write(`assetloss: note: ${diagnosticLine(r, opts.debug)}\n`);
  const problems = read.report.rejects.length;
  io.stderr.write(`assetloss: saved ${items.length} question${items.length === 1 ? '' : 's'}${opts.output ? ` to ${opts.output}` : ''}: ${read.records.length} record${read.records.length === 1 ? '' : 's'} to read${problems ? `; ${problems} problem${problems === 1 ? '' : 's'} noted above` : ''}`);
  io.stderr.write('\n');
}
