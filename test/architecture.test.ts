// The layout's rule, checked on every import of src/ (static and dynamic): each folder imports only
// the folders below it, and no module imports itself through others (no circle).
//   model  ← engine ← read ← io ← cli        format ← model, engine        cli → format
// And no function in src/ over LIMIT lines without a reason in its comment (see long-functions.mjs).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/files.js';
import { LIMIT, longFunctions } from './helpers/long-functions.mjs';

const SRC = join(ROOT, 'src');
const ALLOWED: Record<string, string[]> = {
  model: [],
  engine: ['model'],
  read: ['engine', 'model'],
  io: ['read', 'engine', 'model'],
  format: ['engine', 'model'],
  cli: ['io', 'read', 'engine', 'model', 'format'],
};

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

const modules = files(SRC);
const importsOf = new Map(modules.map((file) => {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]!);
  return [file, specs.map((s) => resolve(dirname(file), s).replace(/\.js$/, '.ts'))] as const;
}));
const folderOf = (file: string) => relative(SRC, file).split('/')[0]!;

describe('the layout', () => {
  it('has the folders the rule names, and every module is in one', () => {
    expect(new Set(modules.map(folderOf).filter((f) => !f.endsWith('.ts')))).toEqual(new Set(Object.keys(ALLOWED)));
  });

  it('imports run one way', () => {
    const wrong: string[] = [];
    for (const [file, targets] of importsOf) {
      const from = folderOf(file);
      if (from.endsWith('.ts')) continue;
      for (const t of targets) {
        const to = folderOf(t);
        if (to !== from && !to.endsWith('.ts') && !ALLOWED[from]!.includes(to)) wrong.push(`${relative(ROOT, file)} → ${relative(ROOT, t)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('no module imports itself through others', () => {
    const state = new Map<string, 'open' | 'done'>();
    const circles: string[] = [];
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        circles.push([...path.slice(path.indexOf(file)), file].map((f) => relative(SRC, f)).join(' → '));
        return;
      }
      state.set(file, 'open');
      for (const t of importsOf.get(file) ?? []) visit(t, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of modules) visit(file, []);
    expect(circles).toEqual([]);
  });
});

describe('the functions', () => {
  const long = longFunctions(ROOT);
  const name = (f: { file: string; name: string }) => `${f.file}:${f.name}`;

  it(`are at most ${LIMIT} lines, or say why in a comment starting "Long:"`, () => {
    const unexplained = long.filter((f) => !f.reason).map((f) => `${name(f)} (${f.lines} lines)`);
    expect(unexplained).toEqual([]);
  });
});
