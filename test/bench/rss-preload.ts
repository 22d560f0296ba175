/**
 * Loaded with `node --import` into a measured child process: when the process exits, writes its
 * peak resident set size to QUARRY_BENCH_RSS_FILE. On Linux that is VmHWM, the high-water mark of
 * this process's own memory (worker threads included). Not getrusage's maxRSS: Linux carries it
 * across exec from the forked parent, so a child of a large process reports the parent's size.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const target = process.env.QUARRY_BENCH_RSS_FILE;
// Processes this one starts must not overwrite its figure.
delete process.env.QUARRY_BENCH_RSS_FILE;

/** VmHWM in kB from /proc/self/status, or null where there is no procfs. */
function highWaterMarkKb(): number | null {
  try {
    const match = /^VmHWM:\s+(\d+)\s+kB$/mu.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

if (target) {
  process.on('exit', () => {
    const maxRssKb = highWaterMarkKb() ?? process.resourceUsage().maxRSS;
    writeFileSync(target, `${JSON.stringify({ maxRssKb })}\n`);
  });
}
