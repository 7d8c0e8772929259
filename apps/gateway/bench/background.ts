// A known background job for the bench's stall mode (BACKGROUND=cpu,disk): started by proxy-bench.ts in its
// own process while the open-loop runs, it loads what a shared machine's neighbours load.
//   cpu:  one busy loop, one core's worth (on a 2-core machine, half of it), at normal priority;
//   disk: 8 MiB written and fsync'd in a loop into a scratch file in the temp folder (the gateway's SQLite
//         store writes to the same disk: a synchronous write that waits for the disk blocks its event loop).
// Runs until killed; prints one JSON line when started.
import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

const kinds = new Set((process.argv[2] ?? '').split(',').filter(Boolean));
const unknown = [...kinds].filter((k) => k !== 'cpu' && k !== 'disk');
if (unknown.length > 0 || kinds.size === 0) {
  process.stderr.write(`BACKGROUND: expected cpu, disk or cpu,disk, got "${process.argv[2] ?? ''}"\n`);
  process.exit(2);
}

if (kinds.has('cpu')) {
  // In a worker, so that the disk loop below keeps its own thread.
  new Worker('let x = 0; for (;;) { x = (x * 1103515245 + 12345) % 2147483648; }', { eval: true });
}

if (kinds.has('disk')) {
  const dir = mkdtempSync(join(tmpdir(), 'bascule-bench-background-'));
  process.on('SIGTERM', () => {
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
  const chunk = Buffer.alloc(8 * 1024 * 1024, 7);
  const writeOnce = () => {
    const fd = openSync(join(dir, 'scratch'), 'w');
    writeSync(fd, chunk);
    fsyncSync(fd);
    closeSync(fd);
    setImmediate(writeOnce);
  };
  writeOnce();
} else {
  process.on('SIGTERM', () => process.exit(0));
}

process.stdout.write(`${JSON.stringify({ background: [...kinds] })}\n`);
