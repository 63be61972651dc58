// Problems as data: rejects, warnings and input errors carry a code and a position; formatters
// decide the words around them. One shape for every reader, so row accounting is uniform.

/** Every code a diagnostic (reject, warning, note) or input error carries: the contract tests and JSON assert. */
export const DIAGNOSTIC_CODES = [
  'ALIASES_TOO_LARGE', 'AMALGAMATED', 'ANSWER_IN_ATTACHMENT', 'ANSWER_REVISED', 'BAD_ALIASES',
  'BAD_CLAIMS', 'BAD_DELIMITER', 'BAD_ENV', 'BAD_HEADER', 'BAD_INPUTS_FILE', 'BAD_JSON',
  'BAD_JSON_SHAPE', 'BAD_METADATA', 'BAD_METADATA_PERIOD', 'BAD_NUMBER', 'BAD_PERIOD',
  'BAD_PQ_REF', 'BAD_PQ_SHAPE', 'BAD_STATE', 'BAD_UTF16', 'BARE_QUOTE', 'BINARY_INPUT',
  'BLANK_LINE', 'CANNOT_OPEN', 'CANNOT_WRITE', 'CAPTION_ROW', 'CHART_UNAVAILABLE',
  'CLAIMS_TOO_LARGE', 'COUNT_WARNING', 'CR_LINE_ENDINGS', 'DATA_ABOVE_HEADER', 'DATA_AS_HEADER',
  'DUPLICATE_HEADER', 'DUPLICATE_INPUT', 'DUPLICATE_KEY', 'DUPLICATE_ROW', 'EMPTY_TABLE',
  'ENCODING_MISMATCH', 'FIELD_TOO_LARGE', 'FROM_TEXT', 'GLUED_COUNT', 'GLUED_FOOTNOTE',
  'HOLDING_ANSWER', 'HTML_TOO_DEEP', 'IGNORED_COLUMN', 'IGNORED_KEY', 'IGNORED_ROW',
  'INCOMPLETE_INPUT', 'INPUTS_TOO_LARGE', 'MISSING_COLUMN', 'MONTHS_OUT_OF_ORDER', 'NOTES_ROW', 'NOT_UTF8', 'NO_COUNTS',
  'NO_DEPARTMENT', 'NO_HEADER', 'NO_PERIOD', 'NO_QUESTIONS', 'NO_TABLE', 'ONE_COLUMN',
  'PERIOD_APPROXIMATE', 'PERIOD_FROM_WORDS', 'PERIOD_IN_WORDS', 'PQ_BAD_RESPONSE', 'PQ_BAD_URL',
  'PQ_HTTP', 'PQ_NOT_CACHED', 'PQ_NOT_FOUND', 'PQ_NOT_JSON', 'PQ_TOO_LARGE', 'PQ_UNAVAILABLE',
  'QUOTE_NOT_CLOSED', 'REJECTED_ROW', 'REJECTS_NOT_LISTED', 'ROW_TOO_LARGE', 'SHORT_ROW',
  'TEXT_AFTER_QUOTE', 'TOO_MANY_FIELDS', 'TOO_MANY_SERIES_DAYS', 'TOTAL_MISMATCH',
  'TOTAL_ROW_SKIPPED', 'TRUNCATED_PREVIEW', 'UNANSWERED', 'UNKNOWN_CATEGORY', 'UNKNOWN_DEPARTMENT',
  'UNKNOWN_STATUS', 'USAGE', 'WITHDRAWN', 'WRONG_DELIMITER', 'YEAR_INFERRED',
] as const;
export type DiagnosticCode = (typeof DIAGNOSTIC_CODES)[number];

export interface Position {
  file: string;
  line?: number;
  column?: number;
}

export interface Diagnostic extends Position {
  code: DiagnosticCode;
  message: string;
  expected?: string;
  got?: string;
}

/** An input that cannot be read at all (exit 2). Thrown by readers, caught at the CLI boundary. */
export class InputError extends Error {
  constructor(
    readonly code: DiagnosticCode,
    message: string,
    readonly position: Partial<Position> = {},
    readonly expected?: string,
    readonly got?: string,
  ) {
    super(message);
    this.name = 'InputError';
  }

  at(file: string): InputError {
    return new InputError(this.code, this.message, { ...this.position, file: this.position.file ?? file }, this.expected, this.got);
  }

  toDiagnostic(): Diagnostic {
    return { file: this.position.file ?? '-', line: this.position.line, column: this.position.column, code: this.code, message: this.message, expected: this.expected, got: this.got };
  }
}

/** `FILE:LINE:COL: what is wrong (expected …, got "…")` — the one way positions are written. */
export function describeDiagnostic(d: Diagnostic): string {
  const where = [d.file, d.line, d.line !== undefined ? d.column : undefined].filter((x) => x !== undefined && x !== 0).join(':');
  // A message that already says what it expected, or quotes what it got, is not told twice.
  const expected = d.expected !== undefined && !d.message.includes(d.expected);
  const got = d.got !== undefined && !d.message.includes(`got "${d.got}"`) && !d.message.includes(`got "${visibleText(d.got)}"`);
  const detail = [expected ? `expected ${escapeControls(d.expected!)}` : '', got ? `got "${visibleText(d.got!)}"` : '']
    .filter(Boolean)
    .join(', ');
  return `${escapeControls(where)}: ${escapeControls(d.message)}${detail ? ` (${detail})` : ''}`;
}

/**
 * Characters a terminal or a CI log acts on rather than shows: C0 and C1 controls (ESC starts
 * colour, title (OSC), clear-screen and hyperlink (OSC 8) sequences; a line break lets input start
 * a line such as `::error …`, which GitHub Actions runs as a command), and the line separators and
 * bidirectional overrides that make text read other than it is.
 */
const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function escapeChar(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Input text made safe to write for people (stderr, table, markdown, check text): each control
 * character as a visible `\uXXXX`, everything else as it is. The one helper every human output uses.
 */
export function escapeControls(text: string): string {
  return text.replace(CONTROL_RE, escapeChar);
}

/** Shows control and invisible characters as escapes so an error message is never blank. */
export function visibleText(text: string): string {
  const clipped = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  return escapeControls(clipped).replace(/[\u00a0\u200b-\u200d\u2060\ufeff]/g, escapeChar);
}
