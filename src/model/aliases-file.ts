// The --aliases file: extra variant → canonical names per table. Unknown tables are an error.
// Checked here by hand, not by a zod schema: the shape is four optional maps of strings, and
// loading zod would add about 50 ms to every run given an aliases file.

export const ALIAS_TABLES = ['categories', 'departments', 'statuses', 'headers'] as const;
export type AliasFile = Partial<Record<(typeof ALIAS_TABLES)[number], Record<string, string>>>;

/** What the file should look like, for the error. */
export const ALIAS_FILE_SHAPE = '{"categories"|"departments"|"statuses"|"headers": {"variant": "canonical"}}';

const kind = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
const isObject = (v: unknown): v is Record<string, unknown> => kind(v) === 'object';

/** The file's tables, or its first problem, with where it is (`at departments.MoD: …`). */
export function parseAliasFile(doc: unknown): { ok: true; value: AliasFile } | { ok: false; problem: string } {
  if (!isObject(doc)) return { ok: false, problem: `expected an object, found ${kind(doc)}` };
  const value: AliasFile = {};
  for (const [name, table] of Object.entries(doc)) {
    const known = ALIAS_TABLES.find((t) => t === name);
    if (!known) return { ok: false, problem: `unknown table "${name}" (the tables are ${ALIAS_TABLES.join(', ')})` };
    if (!isObject(table)) return { ok: false, problem: `at ${name}: expected an object of "variant": "canonical", found ${kind(table)}` };
    for (const [variant, canonical] of Object.entries(table)) {
      if (typeof canonical !== 'string') return { ok: false, problem: `at ${name}.${variant}: expected a string, found ${kind(canonical)}` };
      if (canonical === '') return { ok: false, problem: `at ${name}.${variant}: the canonical name is empty` };
    }
    value[known] = table as Record<string, string>;
  }
  return { ok: true, value };
}
