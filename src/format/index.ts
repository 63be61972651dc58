// The formatter registry: one file and one key per output format (knip's reporters pattern).
// The human table is loaded only when asked for, so machine formats start without cli-table3.
import type { OutputFormat } from '../core/vocab.js';
import type { RenderOptions, Report } from './report.js';

type Renderer = (report: Report, options: RenderOptions) => Iterable<string>;

const registry: Record<OutputFormat, () => Promise<Renderer>> = {
  csv: async () => (await import('./csv.js')).csv,
  tsv: async () => (await import('./csv.js')).tsv,
  json: async () => (await import('./json.js')).json,
  ndjson: async () => (await import('./json.js')).ndjson,
  markdown: async () => (await import('./markdown.js')).markdown,
  table: async () => (await import('./table.js')).table,
};

export async function render(format: OutputFormat, report: Report, options: RenderOptions): Promise<Iterable<string>> {
  const renderer = await registry[format]();
  return renderer(report, options);
}
