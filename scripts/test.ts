// npm test: the whole suite on SQLite, then, when DATABASE_URL is set, the HTTP suite again with
// the app on PostgreSQL (and its rate limits in Redis when REDIS_URL is set): the same requests
// and assertions against the engine production runs on. Each pass is a mocha run of its own, so
// nothing a module holds (observed contract pairs, the engine's database) crosses over.
//
// The developer's loop:
//   npx mocha test/ids.test.ts        one file, once, on SQLite, no workers: starts in seconds
//   npm test -- test/http/x.test.ts   these files on both passes (the PostgreSQL pass takes those
//                                     under test/http/); one file runs in-process, several in parallel
//   npm test -- --pass=sqlite         one pass only (sqlite or postgres)
//   npm test -- --jobs=1              every file in one process, no workers
//   npm test                          everything, as CI runs it
//
// Several files run with mocha --parallel: JOBS worker processes, each taking the next file of
// the list, with a PostgreSQL database and a Redis key prefix of its own (test/support/testRun.ts);
// the global teardown adds up the workers' contract coverage. The list starts with the slowest
// files, so that no worker is left with a long one at the end.
//
// The options come from .mocharc.json, which names no files: `npx mocha test/x.test.ts` runs that
// file alone (a spec in the config would be added to it, running everything).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';

const root = join(__dirname, '..');
const mocharc = JSON.parse(readFileSync(join(root, '.mocharc.json'), 'utf8')) as {
  require: string[];
  extension: string[];
  timeout: number;
  reporter: string;
};

/**
 * Workers for a run of several files: one per core (2 on CI). The suite is bound by CPU (compiling
 * the contract's validators, TypeScript in spawned servers), so more workers than cores only make
 * the process tests' servers start slower. At most 4: each worker holds PostgreSQL connections,
 * and the server has about 100 for everyone using it.
 */
const JOBS = Math.min(availableParallelism(), 4);

/**
 * The files that take longest (process, browser and fuzz tests: seconds to minutes each), run
 * first; every other file follows in path order. A prefix of a path matches every file under it.
 */
const SLOW_FIRST = ['test/process/', 'test/tracing/', 'test/e2e/', 'test/differential/', 'test/http/fuzz', 'test/sdk/', 'test/webhooks/'];

/** Every test file under `dir`, slowest first as SLOW_FIRST says. */
function testFiles(dir: string): string[] {
  const files = (readdirSync(join(root, dir), { recursive: true }) as string[])
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => relative(root, join(root, dir, f)))
    .sort();
  const rank = (f: string) => {
    const i = SLOW_FIRST.findIndex((prefix) => f.startsWith(prefix));
    return i === -1 ? SLOW_FIRST.length : i;
  };
  return files.sort((a, b) => rank(a) - rank(b));
}

/** One file needs no worker: starting one costs a second or two. A directory or glob may be many. */
const parallel = (files: string[], jobs: number) => jobs > 1 && (files.length > 1 || !files[0].endsWith('.test.ts'));

function mocha(files: string[], jobs: number, env: NodeJS.ProcessEnv): boolean {
  const args = [
    '--no-config',
    ...mocharc.require.flatMap((r) => ['--require', r]),
    ...mocharc.extension.flatMap((e) => ['--extension', e]),
    '--timeout',
    String(mocharc.timeout),
    '--reporter',
    mocharc.reporter,
    ...(parallel(files, jobs) ? ['--parallel', '--jobs', String(jobs)] : []),
    ...files,
  ];
  const result = spawnSync(process.execPath, [require.resolve('mocha/bin/mocha.js'), ...args], { cwd: root, env, stdio: 'inherit' });
  return result.status === 0;
}

function banner(text: string): void {
  console.log(`\n==== ${text}\n`);
}

function option(argv: string[], name: string): string | undefined {
  return argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

function main(): number {
  const argv = process.argv.slice(2);
  const only = option(argv, 'pass');
  if (only && only !== 'sqlite' && only !== 'postgres') throw new Error(`--pass must be sqlite or postgres, got '${only}'`);
  const jobs = Number(option(argv, 'jobs') ?? JOBS);
  if (!Number.isInteger(jobs) || jobs < 1) throw new Error(`--jobs must be a positive integer, got '${option(argv, 'jobs')}'`);
  const named = argv.filter((a) => !a.startsWith('--'));
  const failed: string[] = [];

  const pass = (name: string, files: string[], env: NodeJS.ProcessEnv) => {
    const started = Date.now();
    banner(`${name}: ${files.length === 1 ? files[0] : `${files.length} files`}, ${parallel(files, jobs) ? `${jobs} workers` : 'one process'}`);
    const ok = mocha(files, jobs, env);
    banner(`${name}: ${ok ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    if (!ok) failed.push(name);
  };

  if (only !== 'postgres') pass('pass 1/2, SQLite', named.length ? named : testFiles('test'), { ...process.env, TEST_ENGINE: 'sqlite' });

  if (only === 'sqlite') return failed.length ? 1 : 0;
  const { DATABASE_URL, REDIS_URL } = process.env;
  const httpFiles = named.length ? named.filter((f) => f.replace(/^\.\//, '').startsWith('test/http/')) : testFiles('test/http');
  if (!DATABASE_URL) {
    banner('pass 2/2, PostgreSQL: skipped (DATABASE_URL is not set; .ci/run sets it)');
  } else if (!httpFiles.length) {
    banner('pass 2/2, PostgreSQL: skipped (none of the given files is under test/http/)');
  } else {
    const limits = REDIS_URL ? 'rate limits in Redis' : 'rate limits in the database (REDIS_URL is not set)';
    pass(`pass 2/2, PostgreSQL, ${limits}`, httpFiles, { ...process.env, TEST_ENGINE: 'postgres' });
  }

  if (failed.length) console.error(`npm test: failed: ${failed.join('; ')}`);
  return failed.length ? 1 : 0;
}

process.exit(main());
