// Worker entry: sums the second half of a big incident log (see incident-split.ts). Any error is
// reported as a failure and the main thread reads that half itself, so errors are positioned and
// worded exactly as in a sequential read.
import { parentPort, workerData } from 'node:worker_threads';
import type { DateFormat } from '../core/incidents.js';
import { aggregateHalf, type HalfJob } from './incident-split.js';

parentPort!.once('message', (msg: { format: DateFormat }) => {
  aggregateHalf(workerData as HalfJob, msg.format).then(
    (result) => parentPort!.postMessage({ ok: true, result }),
    () => parentPort!.postMessage({ ok: false }),
  );
});
