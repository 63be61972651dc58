// Renders a chart spec: Vega-Lite compiled by Vega to SVG, and the SVG drawn to PNG by resvg.
// These libraries are loaded here, on demand, by the commands that draw a chart (`trend --chart`,
// `summary --chart`): no other command loads them, or starts any slower for them.
import { InputError } from '../model/diagnostics.js';

// The bundle is run by bin/assetloss.js as a vm script (for its V8 code cache), which has no
// import() of its own: the loader passes in its own, as `__importPackage`. Run from the sources
// (tests, the tsc build), this module's import() is used.
declare const __importPackage: ((name: string) => Promise<unknown>) | undefined;

export type ChartKind = 'svg' | 'png' | 'vega-lite';

/** What a --chart file's name asks for: .svg, .png, or .vl.json / .json (the Vega-Lite spec itself). */
export function chartKind(file: string): ChartKind | undefined {
  const name = file.toLowerCase();
  if (name.endsWith('.svg')) return 'svg';
  if (name.endsWith('.png')) return 'png';
  if (name.endsWith('.json')) return 'vega-lite';
  return undefined;
}

async function load<T>(name: string, what: string): Promise<T> {
  try {
    return (await (typeof __importPackage === 'function' ? __importPackage(name) : import(name))) as T;
  } catch (err) {
    throw new InputError('CHART_UNAVAILABLE', `${what} needs the package ${name}, which could not be loaded (${(err as Error).message.split('\n')[0]}); write the spec with --chart FILE.vl.json instead`, {});
  }
}

/** Em widths of a sans-serif, by character class (Vega's own estimate, 0.8 em each, makes text far too wide). */
function emWidth(ch: string): number {
  // Wide enough for DejaVu Sans (what a Linux machine without Helvetica draws with), the widest of them.
  if (ch === ' ' || /[ijlI.,:;|!'`]/.test(ch)) return 0.3;
  if (/[fjrt()[\]\-/]/.test(ch)) return 0.4;
  if (/[mwMW]/.test(ch)) return 0.9;
  if (/[A-Z]/.test(ch)) return 0.72;
  return 0.62;
}

/** Text widths for layout: an estimate per character (headless Node has no canvas to measure with). */
export function textWidth(text: string, fontSize: number, bold = false): number {
  let w = 0;
  for (const ch of text) w += emWidth(ch);
  return w * fontSize * (bold ? 1.06 : 1);
}

export async function renderSvg(spec: Record<string, unknown>): Promise<string> {
  const vl = await load<typeof import('vega-lite')>('vega-lite', 'an SVG or PNG chart');
  const vega = await load<typeof import('vega')>('vega', 'an SVG or PNG chart');
  // Vega's hook for a text measure of one's own (as vl-convert sets it); not in its type declarations.
  type Item = { fontSize?: number; fontWeight?: string | number; text?: unknown };
  (vega as unknown as { textMetrics: { width: (item: Item, text?: unknown) => number } }).textMetrics.width = (item, text) => {
    const t = String(text ?? item.text ?? '').trim();
    return textWidth(t, item.fontSize ?? 11, item.fontWeight === 'bold' || Number(item.fontWeight) >= 600);
  };
  // The spec is built by chart-spec.ts as plain data; vega-lite checks it as it compiles.
  const compiled = vl.compile(spec as unknown as Parameters<typeof vl.compile>[0]).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

/** The PNG at twice the SVG's size (sharp on high-density screens and in print). */
export async function renderPng(svg: string): Promise<Uint8Array> {
  const { Resvg } = await load<typeof import('@resvg/resvg-js')>('@resvg/resvg-js', 'a PNG chart');
  const resvg = new Resvg(svg, { fitTo: { mode: 'zoom', value: 2 }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' }, background: 'white' });
  return resvg.render().asPng();
}

export async function renderChart(spec: Record<string, unknown>, kind: ChartKind): Promise<string | Uint8Array> {
  if (kind === 'vega-lite') return `${JSON.stringify(spec, null, 2)}\n`;
  const svg = await renderSvg(spec);
  return kind === 'svg' ? svg : renderPng(svg);
}
