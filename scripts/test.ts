// npm test: the whole suite on SQLite, then, when DATABASE_URL is set, the HTTP suite again with
// the app on PostgreSQL (and its rate limits in Redis when REDIS_URL is set): the same requests
// and assertions against the engine production runs on. Each pass is a mocha process of its own,
// so nothing a module holds (observed contract pairs, the engine's database) crosses over.
//
//   npm test                          both passes (the second only with DATABASE_URL)
//   npm test -- test/http/x.test.ts   these files; the PostgreSQL pass takes those under test/http/
//   npm test -- --pass=postgres       one pass only (sqlite or postgres)
//
// The options come from .mocharc.json, which names no files: `npx mocha test/x.test.ts` runs that
// file alone (a spec in the config would be added to it, running everything).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..');
const mocharc = JSON.parse(readFileSync(join(root, '.mocharc.json'), 'utf8')) as {
  require: string[];
  extension: string[];
  timeout: number;
  reporter: string;
};
/** Every test file: the first pass, when no file is named. */
const ALL_SPEC = ['test/**/*.test.ts'];
/** The tests that drive the app through makeTestApp(); the rest (store, process, browser, contract) ran in the first pass. */
const HTTP_SPEC = 'test/http/**/*.test.ts';

function mocha(spec: string[], env: NodeJS.ProcessEnv): boolean {
  const args = [
    '--no-config',
    ...mocharc.require.flatMap((r) => ['--require', r]),
    ...mocharc.extension.flatMap((e) => ['--extension', e]),
    '--timeout',
    String(mocharc.timeout),
    '--reporter',
    mocharc.reporter,
    ...spec,
  ];
  const result = spawnSync(process.execPath, [require.resolve('mocha/bin/mocha.js'), ...args], { cwd: root, env, stdio: 'inherit' });
  return result.status === 0;
}

function banner(text: string): void {
  console.log(`\n==== ${text}\n`);
}

function main(): number {
  const argv = process.argv.slice(2);
  const only = argv.find((a) => a.startsWith('--pass='))?.slice('--pass='.length);
  if (only && only !== 'sqlite' && only !== 'postgres') throw new Error(`--pass must be sqlite or postgres, got '${only}'`);
  const files = argv.filter((a) => !a.startsWith('--'));
  const failed: string[] = [];

  const pass = (name: string, spec: string[], env: NodeJS.ProcessEnv) => {
    const started = Date.now();
    banner(`${name}: ${spec.join(' ')}`);
    const ok = mocha(spec, env);
    banner(`${name}: ${ok ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    if (!ok) failed.push(name);
  };

  if (only !== 'postgres') pass('pass 1/2, SQLite', files.length ? files : ALL_SPEC, { ...process.env, TEST_ENGINE: 'sqlite' });

  if (only === 'sqlite') return failed.length ? 1 : 0;
  const { DATABASE_URL, REDIS_URL } = process.env;
  const httpFiles = files.length ? files.filter((f) => f.replace(/^\.\//, '').startsWith('test/http/')) : [HTTP_SPEC];
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
