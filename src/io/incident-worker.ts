// Worker entry: sums the second half of a big incident log (see incident-split.ts). Any error is
// reported as a failure and the main thread reads that half itself, so errors are positioned and
// worded exactly as in a sequential read.
import { parentPort, workerData } from 'node:worker_threads';
import type { DateFormat } from '../read/incidents.js';
import { aggregateHalf, type HalfJob } from './incident-split.js';

parentPort!.once('message', (msg: { format: DateFormat }) => {
  const job = workerData as HalfJob;
  const progress = job.progress ? (bytes: number, lines: number) => parentPort!.postMessage({ progress: [bytes, lines] }) : undefined;
  aggregateHalf(job, msg.format, progress).then(
    // The day arrays are moved to the main thread, not copied: one copy of them at a time.
    (result) => parentPort!.postMessage({ ok: true, result }, [...new Set(result.part.series.map((x) => x.counts.buffer as ArrayBuffer))].filter((b) => b.byteLength > 0)),
    () => parentPort!.postMessage({ ok: false }),
  );
});
