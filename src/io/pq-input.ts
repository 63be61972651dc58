// The loader's way into written answers: recognising a saved Written Questions API response
// cheaply, and reading one (or an answer's HTML) with the parser loaded only when needed.
import type { AssetRecord, Source } from '../model/model.js';
import type { InputReport } from '../model/dataset.js';
import type { WrittenAnswerContext } from './pq-read.js';

/**
 * True for a JSON document shaped like the API's: `{"value": {…"answerText"…}}` or
 * `{"totalResults": …, "results": […]}`. Checked before the records reader.
 */
export function looksLikeWrittenAnswers(text: string): boolean {
  // A cheap look first: records files can be large and never carry these keys.
  const head = text.slice(0, 1 << 16);
  if (!head.includes('"totalResults"') && !head.includes('"answerText"') && !head.includes('"questionText"')) return false;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    // A broken document that looks like a response: the written-answer reader positions the error.
    return true;
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return false;
  const o = doc as Record<string, unknown>;
  if ('totalResults' in o && Array.isArray(o.results)) return true;
  const v = o.value;
  return !!v && typeof v === 'object' && ('answerText' in v || 'questionText' in v);
}

export async function readWrittenAnswers(text: string, format: 'json' | 'html', ctx: WrittenAnswerContext): Promise<{ report: InputReport; sources: Source[]; records: AssetRecord[] }> {
  const { readWrittenAnswersJson, readWrittenAnswerHtml } = await import('./pq-read.js');
  return format === 'html' ? readWrittenAnswerHtml(text, ctx) : readWrittenAnswersJson(text, ctx);
}
