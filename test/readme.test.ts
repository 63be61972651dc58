// Every ```console example in the README and in docs/*.md is run and must print exactly what the
// page shows (Miller's and csv-parse's practice: documentation that cannot rot), by the built
// binary as a reader would run it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT as root } from './helpers/files.js';
import { spawnCli } from './helpers/spawn.js';

const docs = existsSync(join(root, 'docs')) ? readdirSync(join(root, 'docs')).filter((n) => n.endsWith('.md')).sort().map((n) => `docs/${n}`) : [];
const PAGES = ['README.md', ...docs];

interface Example { command: string; output: string }

export function examples(text: string): Example[] {
  const out: Example[] = [];
  for (const block of text.matchAll(/```console\n([\s\S]*?)```/g)) {
    let current: Example | undefined;
    for (const line of block[1]!.split('\n')) {
      if (line.startsWith('$ ')) {
        current = { command: line.slice(2), output: '' };
        out.push(current);
      } else if (current) {
        current.output += `${line}\n`;
      }
    }
  }
  return out.map((e) => ({ ...e, output: e.output.replace(/\n+$/, '\n') }));
}

/** Splits a shell-like command line (double-quoted words allowed). */
function words(command: string): string[] {
  return [...command.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

const withExamples = PAGES.filter((page) => page === 'README.md' || examples(readFileSync(join(root, page), 'utf8')).length > 0);

describe.each(withExamples)('%s examples', (page) => {
  const list = examples(readFileSync(join(root, page), 'utf8'));
  if (page === 'README.md') {
    it('has examples to run', () => {
      expect(list.length).toBeGreaterThanOrEqual(4);
    });
  }
  for (const ex of list) {
    it(ex.command, () => {
      // Leading NAME=value words are the command's environment, as a shell reads them.
      const all = words(ex.command);
      const env: Record<string, string> = {};
      while (/^[A-Z_]+=/.test(all[0] ?? '')) {
        const [k, ...v] = all.shift()!.split('=');
        env[k!] = v.join('=');
      }
      const [name, ...args] = all;
      expect(name).toBe('assetloss');
      const run = spawnCli(args, { env, input: '' });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toBe(ex.output);
    });
  }
});

describe('the docs', () => {
  it('have runnable examples', () => {
    expect(docs.map((d) => examples(readFileSync(join(root, d), 'utf8')).length).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(5);
  });

  it('every page the README links to exists, except the layouts page written separately', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    for (const [, link] of readme.matchAll(/\]\((docs\/[^)#]+)/g)) {
      if (link === 'docs/layouts.md') continue;
      expect(existsSync(join(root, link!)), link).toBe(true);
    }
  });

  it('speak of the project alone: no issue numbers, no design sections, nothing outside the repository', () => {
    for (const page of PAGES) {
      const text = readFileSync(join(root, page), 'utf8');
      expect(text, page).not.toMatch(/issue #?\d+|#\d{1,3}\b(?!\/)|design(\.md)? ?§|\.\.\/shared|this session/i);
    }
  });
});
