// Problems as data: rejects, warnings and input errors carry a code and a position; formatters
// decide the words around them. One shape for every reader, so row accounting is uniform.

export interface Position {
  file: string;
  line?: number;
  column?: number;
}

export interface Diagnostic extends Position {
  code: string;
  message: string;
  expected?: string;
  got?: string;
}

/** An input that cannot be read at all (exit 2). Thrown by readers, caught at the CLI boundary. */
export class InputError extends Error {
  constructor(
    readonly code: string,
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
