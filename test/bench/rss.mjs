// Preloaded by the benchmark (node --import): reports this process's peak RSS at exit.
process.on('exit', () => {
  process.stderr.write(`assetloss-bench-rss: ${process.resourceUsage().maxRSS}\n`);
});
