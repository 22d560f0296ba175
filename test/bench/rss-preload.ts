/**
 * Loaded with `node --import` into a measured child process: when the process exits, writes its
 * peak resident set size (getrusage maxRSS, worker threads included) to QUARRY_BENCH_RSS_FILE.
 */
import { writeFileSync } from 'node:fs';

const target = process.env.QUARRY_BENCH_RSS_FILE;
// Processes this one starts must not overwrite its figure.
delete process.env.QUARRY_BENCH_RSS_FILE;

if (target) {
  process.on('exit', () => {
    writeFileSync(target, `${JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS })}\n`);
  });
}
