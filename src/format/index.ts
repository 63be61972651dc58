// The formatter registry: one file and one key per output format (knip's reporters pattern).
// The human formats are loaded only when asked for, so machine formats start with less code.
import type { OutputFormat } from '../model/vocab.js';
import type { RenderOptions, Report } from './report.js';
// The machine formats are small and the default off a terminal: loaded with the registry.
import { csv, tsv } from './csv.js';
import { json, ndjson } from './json.js';

type Renderer = (report: Report, options: RenderOptions) => Iterable<string>;

const registry: Record<OutputFormat, () => Promise<Renderer>> = {
  csv: async () => csv,
  tsv: async () => tsv,
  json: async () => json,
  ndjson: async () => ndjson,
  markdown: async () => (await import('./markdown.js')).markdown,
  table: async () => (await import('./table.js')).table,
};

export async function render(format: OutputFormat, report: Report, options: RenderOptions): Promise<Iterable<string>> {
  const renderer = await registry[format]();
  return renderer(report, options);
}
