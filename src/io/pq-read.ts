// Written answers to records: a saved response of the Parliament Written Questions API (one
// question or a list) or an answer's HTML on its own. Each table of an answer goes through the
// same answer-table reader as a CSV (layout detection, labels, Total checks); the question gives
// the department, the year of month labels without one, and the provenance of every record.
// An answer with nothing to read (holding, attachment only, a list preview, no table) is a
// rejected row with the reason, never an empty table.
import type { AssetRecord, Source } from '../model/model.js';
import type { DocumentContext } from './json-input.js';
import { type Diagnostic, InputError } from '../model/diagnostics.js';
import { duplicateChecker, emptyStats, type ReadContext, type RowStats } from '../read/table.js';
import { readAnswerTable } from '../read/answer-table.js';
import { figuresInText, readTextFigures, type TextFigure } from '../read/prose.js';
import { parseIsoDay } from '../engine/dates.js';
import { chooseYear, htmlGrid, isHoldingText, isTruncatedPreview, snippet, type YearChoice } from '../read/html-grid.js';
import { parseJsonText } from './json-text.js';
import { parseAnswerHtml as parseHtml, type ParsedAnswer } from './pq-html.js';
import { calendarDay, type Question, QuestionItemSchema, QuestionListSchema, questionUrl } from './pq-schema.js';
import type { InputReport } from '../model/dataset.js';
import { append } from '../engine/arrays.js';

export type WrittenAnswerContext = DocumentContext;

type Loaded = { report: InputReport; sources: Source[]; records: AssetRecord[] };

/** Reject codes of answers that hold no table to read. */
export const UNREADABLE_ANSWER_CODES = ['UNANSWERED', 'WITHDRAWN', 'HOLDING_ANSWER', 'TRUNCATED_PREVIEW', 'ANSWER_IN_ATTACHMENT', 'NO_TABLE'] as const;

function emptyReport(ctx: WrittenAnswerContext, format: 'json' | 'html'): InputReport {
  return {
    id: ctx.id, file: ctx.file, format: format as InputReport['format'], layout: 'written-answer', encoding: 'utf-8', bom: false, stats: emptyStats(),
    rejects: [], warnings: [], notes: [], totalChecks: [], headerMapping: {},
  };
}

/** A saved API response (single question or list). */
export function readWrittenAnswersJson(text: string, ctx: WrittenAnswerContext): Loaded {
  const parsed = parseJsonText(text);
  const report = emptyReport(ctx, 'json');
  for (const d of parsed.duplicateKeys) {
    report.warnings.push({ file: ctx.file, line: d.line, column: d.column, code: 'DUPLICATE_KEY', message: `duplicate key "${d.key}" at ${d.path}: the last value is used` });
  }
  const doc = parsed.value as Record<string, unknown> | null;
  let items: { value: Question; line: number; path: string }[];
  let single = false;
  if (doc && typeof doc === 'object' && !Array.isArray(doc) && 'totalResults' in doc) {
    const list = QuestionListSchema.safeParse(doc);
    if (!list.success) throw shapeError(list.error.issues[0]!, parsed.arrayElementLines.get('$.results') ?? []);
    const lines = parsed.arrayElementLines.get('$.results') ?? [];
    items = list.data.results.map((r, i) => ({ value: r.value, line: lines[i] ?? 1, path: `$.results[${i}]` }));
  } else {
    const one = QuestionItemSchema.safeParse(doc);
    if (!one.success) throw shapeError(one.error.issues[0]!, []);
    items = [{ value: one.data.value, line: 1, path: '$' }];
    single = true;
  }
  if (items.length === 0) {
    report.warnings.push({ file: ctx.file, code: 'NO_QUESTIONS', message: 'the saved list holds no questions: nothing to read' });
  }
  const sources: Source[] = [];
  const records: AssetRecord[] = [];
  const layouts = new Set<string>();
  for (const item of items) {
    const q = item.value;
    const sourceId = single ? ctx.id : `${ctx.id}-${q.id}`;
    const metadata = { ...questionMetadata(q), ...ctx.metadata };
    const answered = metadata.answered;
    // A corrected answer is as new as its correction.
    // (a cached version of an answer is never older than the one fetched before it: `vintage`)
    const newest = metadata.vintage ?? (metadata.corrected && (!answered || metadata.corrected > answered) ? metadata.corrected : answered);
    sources.push({
      id: sourceId, file: ctx.file, layout: 'written-answer', encoding: 'utf-8', metadata,
      vintage: newest ? { date: newest, basis: 'answered', position: ctx.position } : { date: null, basis: 'position', position: ctx.position },
    });
    const where = { file: `${ctx.file}#${q.id}`, line: item.line };
    const out = readAnswer(q.answerText ?? '', {
      ...ctx, sourceId, where, tableFile: (n) => `${ctx.file}#${q.id}/table${n}`,
      answeringBody: metadata.department, question: q, answered, fromList: !single, metadata,
    }, report);
    for (const l of out.layouts) layouts.add(l);
    for (const r of out.records) records.push(r);
  }
  report.layout = layouts.size ? [...layouts].join('+') : 'written-answer';
  report.stats.records = records.length;
  return { report, sources, records };
}

/** An answer's HTML saved on its own: no question around it, so --department and --year say what it cannot. */
export function readWrittenAnswerHtml(html: string, ctx: WrittenAnswerContext): Loaded {
  const report = emptyReport(ctx, 'html');
  const metadata = { ...ctx.metadata };
  const out = readAnswer(html, { ...ctx, sourceId: ctx.id, where: { file: ctx.file, line: 1 }, tableFile: (n) => `${ctx.file}#table${n}`, answered: metadata.answered, metadata }, report);
  report.layout = out.layouts.length ? [...new Set(out.layouts)].join('+') : 'written-answer';
  report.stats.records = out.records.length;
  const answered = metadata.answered ?? metadata.reported;
  const vintage = answered ? { date: answered, basis: (metadata.answered ? 'answered' : 'reported') as 'answered' | 'reported', position: ctx.position } : { date: null, basis: 'position' as const, position: ctx.position };
  const source: Source = { id: ctx.id, file: ctx.file, layout: report.layout, encoding: 'utf-8', metadata, vintage };
  return { report, sources: [source], records: out.records };
}

function shapeError(issue: { path: PropertyKey[]; message: string }, lines: number[]): InputError {
  const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  const index = issue.path[0] === 'results' && typeof issue.path[1] === 'number' ? issue.path[1] : undefined;
  return new InputError(
    'BAD_PQ_SHAPE', `not a Written Questions API response: at $${path}: ${issue.message}`,
    { line: index !== undefined ? lines[index] ?? 1 : 1 },
    '{"value": {question}} or {"totalResults": N, "results": [{"value": {question}}]}',
  );
}

/** The question's identity as source metadata (design §2: answered date, UIN, asked-by, answered-by, URL, title). */
export function questionMetadata(q: Question): Record<string, string> {
  const m: Record<string, string> = {};
  const put = (key: string, value: unknown) => {
    if (value === null || value === undefined || value === '') return;
    m[key] = String(value);
  };
  const day = (value: string | null | undefined) => {
    const d = calendarDay(value);
    return d && parseIsoDay(d) !== undefined ? d : undefined;
  };
  put('id', q.id);
  put('uin', q.uin);
  put('house', q.house);
  put('tabled', day(q.dateTabled));
  put('due', day(q.dateForAnswer));
  put('answered', day(q.dateAnswered));
  put('holding-answered', day(q.dateHoldingAnswer));
  put('asked-by', q.askingMember?.name);
  put('asked-by-id', q.askingMemberId ?? q.askingMember?.id);
  put('answered-by', q.answeringMember?.name);
  put('answered-by-id', q.answeringMemberId ?? q.answeringMember?.id);
  put('department', q.answeringBodyName);
  put('answering-body-id', q.answeringBodyId);
  put('heading', q.heading);
  put('title', q.heading);
  put('question', q.questionText);
  if (q.answerIsCorrection) put('correction', 'yes');
  put('corrected', day(q.dateAnswerCorrected));
  if (q.groupedQuestions?.length) put('grouped-with', q.groupedQuestions.join(';'));
  if (q.attachmentCount) put('attachments', q.attachmentCount);
  put('url', questionUrl(q));
  return m;
}

interface AnswerContext extends WrittenAnswerContext {
  sourceId: string;
  /** Where a problem with the whole answer is reported. */
  where: { file: string; line: number };
  tableFile: (n: number) => string;
  /** The question came in a list (`{totalResults, results}`), whose answers may be previews. */
  fromList?: boolean;
  /** answeringBodyName: the department of every record (before --department, as `# department:`). */
  answeringBody?: string;
  question?: Question;
  answered?: string;
}

function rejectAnswer(report: InputReport, a: AnswerContext, code: (typeof UNREADABLE_ANSWER_CODES)[number], message: string, got?: string): void {
  // The answer counts as one row read and rejected, so the accounting still adds up.
  report.stats.rows_read++;
  report.stats.rows_rejected++;
  report.rejects.push({ file: a.where.file, line: a.where.line, code, message, got });
}

function whoAndWhat(q: Question | undefined): string {
  if (!q) return 'the answer';
  return `question ${q.id}${q.uin ? ` (UIN ${q.uin})` : ''}`;
}

function readAnswer(html: string, a: AnswerContext, report: InputReport): { records: AssetRecord[]; layouts: string[] } {
  const q = a.question;
  const none = { records: [], layouts: [] };
  const what = whoAndWhat(q);
  const parseAnswerHtml = (text: string) => {
    try {
      return parseHtml(text);
    } catch (err) {
      throw err instanceof InputError ? new InputError(err.code, `${q ? `${what}: ` : ''}${err.message}`, a.where, err.expected, err.got) : err;
    }
  };
  if (q?.isWithdrawn) {
    rejectAnswer(report, a, 'WITHDRAWN', `${what} was withdrawn: there is no answer to read`);
    return none;
  }
  if (q?.answerIsHolding) {
    rejectAnswer(report, a, 'HOLDING_ANSWER', `${what} has a holding answer only${q.dateHoldingAnswer ? ` (${calendarDay(q.dateHoldingAnswer)})` : ''}: fetch it again once it is answered (assetloss pq fetch ${q.id})`, snippet(parseAnswerHtml(html).text, 60));
    return none;
  }
  if (q && isTruncatedPreview(html)) {
    rejectAnswer(report, a, 'TRUNCATED_PREVIEW', `${what}: the answer is a list preview cut short with "...": fetch it in full (assetloss pq fetch ${q.id})`, snippet(html, 60));
    return none;
  }
  const parsed = parseAnswerHtml(html);
  if (parsed.tables.length === 0) return answerWithoutTable(parsed, a, report, what);
  const records: AssetRecord[] = [];
  const layouts: string[] = [];
  const isDuplicate = duplicateChecker(a.file);
  const asideTables: Diagnostic[] = [];
  parsed.tables.forEach((_, i) => {
    const result = readOneTable(parsed, i, a, report, asideTables);
    if (!result) return;
    layouts.push(result.layout);
    keepUnrepeated(result, isDuplicate, report, records);
  });
  for (const d of asideTables) {
    if (records.length > 0) report.notes.push(d);
    else {
      report.stats.rows_read++;
      report.stats.rows_rejected++;
      report.rejects.push(d);
    }
  }
  return { records, layouts };
}

/** The same series and period in two tables of one answer: the later row is rejected, the rest kept in `records`. */
function keepUnrepeated(table: { file: string; records: AssetRecord[] }, isDuplicate: ReturnType<typeof duplicateChecker>, report: InputReport, records: AssetRecord[]): void {
  const byLine = new Map<number, AssetRecord[]>();
  for (const r of table.records) {
    const list = byLine.get(r.provenance.line);
    if (list) list.push(r);
    else byLine.set(r.provenance.line, [r]);
  }
  for (const [line, rowRecords] of byLine) {
    let dup: Diagnostic | undefined;
    for (const r of rowRecords) if ((dup = isDuplicate(r, line, r.provenance.column, r.provenance.raw))) break;
    if (dup) {
      report.stats.rows_accepted--;
      report.stats.rows_rejected++;
      report.rejects.push({ ...dup, file: table.file, message: `${dup.message} (an earlier table of this answer has it)` });
      continue;
    }
    for (const r of rowRecords) records.push(r);
  }
}

/**
 * An answer with no table: rejected with the reason (no answer, an attachment, a holding reply,
 * figures only in its sentences), or, with --text-figures, the figures its sentences give.
 */
function answerWithoutTable(parsed: ParsedAnswer, a: AnswerContext, report: InputReport, what: string): { records: AssetRecord[]; layouts: string[] } {
  const q = a.question;
  const attachments = q?.attachments ?? [];
  if (!parsed.text && !(q?.attachmentCount ?? 0) && attachments.length === 0) {
    rejectAnswer(report, a, 'UNANSWERED', `${what} has no answer text${q && !q.dateAnswered ? ' (not answered yet)' : ''}: there is nothing to read`);
  } else if ((q?.attachmentCount ?? 0) > 0 || attachments.length > 0) {
    const names = attachments.map((t) => t.title || t.fileName || t.url).filter(Boolean);
    const link = attachments.find((t) => t.url)?.url;
    rejectAnswer(report, a, 'ANSWER_IN_ATTACHMENT', `${what}: the figures are in ${names.length ? `an attachment (${names.join('; ')})` : 'an attachment'}, not in the answer's text: save it as CSV and read that${link ? ` (${link})` : ''}`, snippet(parsed.text, 60));
  } else if (isHoldingText(parsed.text)) {
    rejectAnswer(report, a, 'HOLDING_ANSWER', `${what}: the answer promises a reply later; there is no table to read`, snippet(parsed.text, 60));
  } else {
    // A list result's answer is a preview with its tags stripped: a table in it would not show.
    const preview = a.fromList && !parsed.markup ? `; in a list result this may be a preview without its tags: assetloss pq fetch ${q?.id} gets it in full` : '';
    const figures = figuresInText(parsed.text, a.aliases);
    if (figures.length > 0 && a.textFigures) return readFromText(parsed.text, figures, a, report);
    const shown = figures.slice(0, 6).map((f) => `${f.count} ${f.category} ("${snippet(f.sentence, 70)}")`).join('; ');
    const found = figures.length ? `; its sentences give ${figures.length} figure${figures.length === 1 ? '' : 's'}: ${shown}${figures.length > 6 ? '; …' : ''}: read them with --text-figures (or "text-figures: true" in its inputs file entry)` : '';
    rejectAnswer(report, a, 'NO_TABLE', `${what}: the answer has no table to read${found}${preview}`, snippet(parsed.text, 80));
  }
  return { records: [], layouts: [] };
}

/**
 * The answer's table `i` through the answer-table reader, its rows accounted in the report.
 * Undefined when it is empty, or cannot be read: a table of costs (NO_COUNTS) is put `aside`,
 * to be said once the others are read.
 */
function readOneTable(parsed: ParsedAnswer, i: number, a: AnswerContext, report: InputReport, aside: Diagnostic[]): { file: string; layout: string; records: AssetRecord[] } | undefined {
  const q = a.question;
  const table = parsed.tables[i]!;
  const file = a.tableFile(i + 1);
  const rows = htmlGrid(table);
  if (rows.length === 0) {
    report.notes.push({ file, code: 'EMPTY_TABLE', message: 'an empty table (no cells) skipped' });
    return undefined;
  }
  const labels = rows.flatMap((r) => r.fields.slice(0, 1).concat(r === rows[0] ? r.fields.slice(1) : []));
  const choice = chooseYear(labels, q?.questionText ?? undefined, a.answered, a.year);
  if (choice.basis === 'question' || choice.basis === 'answer-date') {
    report.notes.push({ file, code: 'YEAR_INFERRED', message: `months without a year read as ${choice.year} (from the ${choice.basis === 'question' ? 'question text' : 'answer date'})` });
  }
  const metadata: Record<string, string> = { ...a.metadata };
  if (a.answeringBody) metadata.department ??= a.answeringBody;
  if (a.answered) metadata.answered ??= a.answered;
  const ctx: ReadContext = { sourceId: a.sourceId, file, aliases: a.aliases, year: choice.year, department: a.department, metadata, headerRow: a.headerRow };
  const around = parsed.around[i];
  const words = { caption: table.caption, before: around?.before, after: around?.after, question: q?.questionText ?? a.metadata?.question };
  const result = readAnswerTable({ rows, words, padShortRows: true }, ctx);
  if (result.fatal) {
    // A table of costs beside a table of counts is no failure of the answer: said once the others are read.
    if (result.fatal.code === 'NO_COUNTS') aside.push(result.fatal);
    else {
      report.stats.rows_read++;
      report.stats.rows_rejected++;
      report.rejects.push(result.fatal);
    }
    return undefined;
  }
  addStats(report.stats, result.stats);
  append(report.rejects, result.rejects.map((r) => explainYear(r, choice)));
  append(report.warnings, result.warnings.filter((w) => !(w.code === 'NO_DEPARTMENT' && report.warnings.some((x) => x.code === 'NO_DEPARTMENT'))));
  append(report.notes, result.notes);
  append(report.totalChecks, result.totalChecks);
  Object.assign(report.headerMapping, result.headerMapping);
  return { file, layout: result.layout, records: result.records };
}

/** An answer's figures in sentences, read on request (--text-figures): each record names its sentence. */
function readFromText(text: string, figures: TextFigure[], a: AnswerContext, report: InputReport): { records: AssetRecord[]; layouts: string[] } {
  const metadata: Record<string, string> = { ...a.metadata };
  if (a.answeringBody) metadata.department ??= a.answeringBody;
  if (a.answered) metadata.answered ??= a.answered;
  const ctx: ReadContext = { sourceId: a.sourceId, file: a.where.file, aliases: a.aliases, department: a.department, metadata };
  const result = readTextFigures(text, figures, ctx, a.question?.questionText ?? metadata.question, a.where.line);
  addStats(report.stats, result.stats);
  append(report.rejects, result.rejects);
  append(report.warnings, result.warnings);
  append(report.notes, result.notes);
  return { records: result.records, layouts: ['text'] };
}

function addStats(into: RowStats, from: RowStats): void {
  for (const key of Object.keys(from) as (keyof RowStats)[]) {
    if (key !== 'records') into[key] += from[key];
  }
}

/** A label without a year: say where a year could have come from, and that --year gives one. */
function explainYear(reject: Diagnostic, choice: YearChoice): Diagnostic {
  if (!/no year in the label/.test(reject.message) || !choice.reason) return reject;
  return { ...reject, message: reject.message.replace(/no year in the label:.*$/, `no year in the label; ${choice.reason}`) };
}
