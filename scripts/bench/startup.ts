// Start-up (issue #15 item 1): the compiled service as `npm start` runs it (`node [flags] dist/src/main.js`),
// spawned until its "listening" line on the seeded database. That line comes once the contract is
// loaded, the database opened and migrated, the request validator loaded (its per-operation
// schemas compile on each operation's first request) and a self-check answered. Bare Express's spawn-to-listen, in the same rounds, is the floor any Node service pays
// (node itself and loading express). A few runs through `npm start` (npm's own start-up on top)
// and from source through tsx (what `npm start` ran before the build) are there for comparison.
import type { ChildProcess } from 'node:child_process';
import { ensureBuilt, startArgv } from '../built';
import type { BenchOptions } from './options';
import type { Processes } from './processes';
import { untilListening } from './servers';
import { median, percentile } from './stats';

export interface StartupResult {
  /** The command `npm start` runs, as the report shows it. */
  command: string;
  compiled: number[];
  bare: number[];
  npmStart: number[];
  tsx: number[];
}

type Log = (msg: string) => void;

const BARE = [
  "const app = require('express')();",
  "app.get('/', (_req, res) => res.json({}));",
  "const server = app.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ msg: 'listening', url: 'http://127.0.0.1:' + server.address().port })));",
  "process.on('SIGTERM', () => server.close(() => process.exit(0)));",
].join('\n');

/** Milliseconds from spawn to the `"msg":"listening"` line on stdout; then stops the process. */
async function timeToListening(procs: Processes, start: () => ChildProcess, what: string): Promise<number> {
  const running = await untilListening(procs, start, what);
  await procs.stop(running.child);
  return running.startupMs;
}

/**
 * `opts.startupRuns` rounds of compiled service then bare Express; then 3 runs each through
 * `npm start` and tsx. `env` is the service's (LOG_LEVEL=info for the line).
 */
export async function measureStartup(root: string, procs: Processes, opts: BenchOptions, env: NodeJS.ProcessEnv, log: Log): Promise<StartupResult> {
  ensureBuilt(root, log);
  const node = process.execPath;
  const argv = startArgv(root);
  const result: StartupResult = { command: ['node', ...argv.slice(1)].join(' '), compiled: [], bare: [], npmStart: [], tsx: [] };
  // Not pinned: start-up uses V8's helper threads (concurrent compilation, GC), as it would in production.
  const time = (argv: string[], what: string) => timeToListening(procs, () => procs.spawn(argv, env), what);
  for (let i = 0; i < opts.startupRuns; i++) {
    result.compiled.push(await time(argv, result.command));
    result.bare.push(await time([node, '-e', BARE], 'bare Express'));
  }
  for (let i = 0; i < 3; i++) {
    result.npmStart.push(await time(['npm', 'start', '--silent'], 'npm start'));
    result.tsx.push(await time([node, '--import', 'tsx', 'src/main.ts'], 'node --import tsx src/main.ts'));
  }
  log(`start-up: compiled median ${fmt(median(result.compiled))} ms (p90 ${fmt(p90(result.compiled))}), bare Express ${fmt(median(result.bare))} ms, ` +
    `npm start ${fmt(median(result.npmStart))} ms, tsx ${fmt(median(result.tsx))} ms`);
  return result;
}

const fmt = (x: number) => x.toFixed(0);
const p90 = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 90);
const runs = (xs: number[]) => xs.map(fmt).join(', ');

export function startupSection(r: StartupResult, deepRows: number): string[] {
  return [
    '## Start-up',
    '',
    `Spawn until the \`listening\` log line (after the contract is loaded, the database opened and migrated, the request validator loaded and a self-check request answered), ` +
      `on the seeded database (${deepRows.toLocaleString('en-US')} + 1,000 projects), not pinned to a CPU, the two first rows alternating.`,
    '',
    '| process | median ms | p90 ms | runs |',
    '| --- | ---: | ---: | --- |',
    `| \`${r.command}\` (compiled, as npm start runs it) | ${fmt(median(r.compiled))} | ${fmt(p90(r.compiled))} | ${runs(r.compiled)} |`,
    `| bare Express 5, spawn to listen | ${fmt(median(r.bare))} | ${fmt(p90(r.bare))} | ${runs(r.bare)} |`,
    `| \`npm start\` (npm, then the compiled service) | ${fmt(median(r.npmStart))} | | ${runs(r.npmStart)} |`,
    `| \`node --import tsx src/main.ts\` (from source) | ${fmt(median(r.tsx))} | | ${runs(r.tsx)} |`,
    '',
  ];
}
