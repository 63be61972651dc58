// A stand-in for the Written Questions API on 127.0.0.1 (never the internet), serving the saved
// answers of fixtures/pq: lists paged with skip/take whose answers are previews cut short with
// "...", questions by id and by tabled date and UIN, and scripted failures (a 500, a hang, a
// malformed body). Tests run the CLI against it in process (run.ts), so the server keeps answering.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFragment } from 'parse5';
import { ROOT } from './files.js';
export const PQ = join(ROOT, 'fixtures/pq');

export type Item = { value: Record<string, unknown> & { id: number; uin: string; dateTabled: string; answerText: string }; links: unknown[] };

export function fixtureItem(name: string): Item {
  return JSON.parse(readFileSync(join(PQ, name), 'utf8')) as Item;
}

/** The four MoD answers as the API holds them. */
export function modAnswers(): Item[] {
  return ['mod-devices-2017-2021.json', 'mod-devices-2023.json', 'mod-devices-2024-to-15-dec.json', 'mod-devices-2024-07-05-to-2025-02-27.json'].map(fixtureItem);
}

/** What a list result holds instead of the answer: its words with the tags gone (cells run together), cut with "...". */
export function previewOf(item: Item): Item {
  const words: string[] = [];
  const walk = (node: { nodeName: string; value?: string; childNodes?: unknown[] }) => {
    if (node.nodeName === '#text') words.push(node.value ?? '');
    for (const child of node.childNodes ?? []) walk(child as typeof node);
  };
  walk(parseFragment(item.value.answerText) as unknown as Parameters<typeof walk>[0]);
  const text = words.join('').replace(/\u00a0/g, ' ');
  return { ...item, value: { ...item.value, answerText: `${text.slice(0, 252)}...` } };
}

export type Fault = 'status500' | 'status429' | 'hang' | 'malformed' | 'html' | 'wrong-shape';

export interface FakeApi {
  url: string;
  requests: string[];
  /** Faults to serve, in order, for requests whose path and query start with the key. */
  faults: Map<string, Fault[]>;
  items: Item[];
  close(): Promise<void>;
}

export async function startFakeApi(items: Item[]): Promise<FakeApi> {
  const api: FakeApi = { url: '', requests: [], faults: new Map(), items, close: async () => {} };
  const hanging = new Set<ServerResponse>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const target = new URL(req.url ?? '/', 'http://127.0.0.1');
    const pathAndQuery = `${target.pathname}${target.search}`;
    api.requests.push(pathAndQuery);
    for (const [prefix, queue] of api.faults) {
      if (!pathAndQuery.startsWith(prefix) || queue.length === 0) continue;
      const fault = queue.shift()!;
      if (fault === 'hang') { hanging.add(res); return; }
      if (fault === 'status500') return send(res, 500, '{"status":500,"title":"Internal Server Error"}');
      if (fault === 'status429') { res.setHeader('retry-after', '0'); return send(res, 429, '{"title":"Too Many Requests"}'); }
      if (fault === 'malformed') return send(res, 200, '{"value": {"id": 1, "answerText": "<table>');
      if (fault === 'html') return send(res, 200, '<!DOCTYPE html><html><body><h1>Service unavailable</h1></body></html>', 'text/html');
      if (fault === 'wrong-shape') return send(res, 200, '{"items": []}');
    }
    const base = '/api/writtenquestions/questions';
    if (target.pathname === base) {
      const skip = Number(target.searchParams.get('skip') ?? 0);
      const take = Number(target.searchParams.get('take') ?? 20);
      const term = target.searchParams.get('searchTerm')?.toLowerCase();
      const bodies = target.searchParams.getAll('answeringBodies').map(Number);
      const from = target.searchParams.get('answeredWhenFrom');
      const hits = api.items.filter((i) => (!term || JSON.stringify(i.value).toLowerCase().includes(term))
        && (bodies.length === 0 || bodies.includes(i.value.answeringBodyId as number))
        && (!from || String(i.value.dateAnswered ?? '') >= from));
      return send(res, 200, JSON.stringify({ totalResults: hits.length, results: hits.slice(skip, skip + take).map(previewOf) }));
    }
    const byId = new RegExp(`^${base}/(\\d+)$`).exec(target.pathname);
    if (byId) {
      const item = api.items.find((i) => i.value.id === Number(byId[1]));
      return item ? send(res, 200, JSON.stringify(item)) : send(res, 404, '{"status":404,"title":"Not Found"}');
    }
    const byUin = new RegExp(`^${base}/(\\d{4}-\\d{2}-\\d{2})/([^/]+)$`).exec(target.pathname);
    if (byUin) {
      const item = api.items.find((i) => i.value.dateTabled.startsWith(byUin[1]!) && i.value.uin === decodeURIComponent(byUin[2]!));
      return item ? send(res, 200, JSON.stringify(item)) : send(res, 404, '{"status":404,"title":"Not Found"}');
    }
    send(res, 404, '{"status":404}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  api.url = `http://127.0.0.1:${address.port}`;
  api.close = () => new Promise((resolve) => {
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return api;
}

/** A port on 127.0.0.1 that nothing listens on (opened, then closed): a connection is refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

function send(res: ServerResponse, status: number, body: string, type = 'application/json; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
}
