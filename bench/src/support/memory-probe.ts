/**
 * Preloaded into a measured server (`--expose-gc --import`, see `memoryProbeArgs`): on SIGWINCH it collects all
 * garbage and writes the process's memory to stderr as `memory-probe <n> {"rss":…,"heapUsed":…,"external":…}`.
 * Memory per connection is then a difference of live memory. Resident memory without a collection moved by tens of
 * megabytes with whatever garbage start-up had left, so 2,000 connections could read as a negative growth.
 * SIGWINCH because a process ignores it by default and nothing in the app listens to it (a server without the probe
 * keeps running), whereas SIGUSR2 ends a process nobody listens in, and SIGUSR1 opens Node's inspector.
 */
import { memoryUsage } from 'node:process';

let readings = 0;

process.on('SIGWINCH', () => {
  const collect = (globalThis as { gc?: () => void }).gc;
  readings += 1;
  if (collect === undefined) {
    process.stderr.write(`memory-probe ${readings} {"error":"started without --expose-gc"}\n`);
    return;
  }
  collect();
  const { rss, heapUsed, external } = memoryUsage();
  process.stderr.write(`memory-probe ${readings} ${JSON.stringify({ rss, heapUsed, external })}\n`);
});
