// Preloaded by the benchmark (node --import): reports this process's peak RSS at exit. Preloads
// run in worker threads too; only the main thread reports (the process's peak, all threads).
import { isMainThread } from 'node:worker_threads';

if (isMainThread) {
  process.on('exit', () => {
    process.stderr.write(`assetloss-bench-rss: ${process.resourceUsage().maxRSS}\n`);
  });
}
