// `npm run check:sdk`: the SDK as its users get it. Builds sdk/ (ESM and CommonJS with types),
// packs it with `npm pack`, installs the tarball into a fresh project with `npm install`, compiles
// an ES module and a CommonJS consumer and sdk/examples/quickstart.ts against it with
// `tsc --strict`, and runs all three against a fresh server. Also checks that the README's example
// is the quickstart, verbatim, and that its table of operations is the SDK's.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudApi, OPERATIONS } from '../sdk/src';
import { scopeValues } from '../sdk/src/generated/openapi';
import { ROOT, startServer } from '../test/process/run';

const SDK = join(ROOT, 'sdk');
const CONSUMERS = join(ROOT, 'contract', 'sdk');
const QUICKSTART = join(SDK, 'examples', 'quickstart.ts');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
/** What the tarball must hold: both builds with their types, the README, no sources. */
const PACKED = ['package.json', 'README.md', 'dist/esm/index.js', 'dist/esm/index.d.ts', 'dist/esm/package.json', 'dist/cjs/index.js', 'dist/cjs/index.d.ts'];

function run(command: string, args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: opts.cwd ?? ROOT, env: { ...process.env, ...opts.env } });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`${command} ${args.join(' ')} exited with ${code}\n${output}`))));
  });
}

async function step<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await work();
  console.log(`  ${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/**
 * The README's complete example must be the quickstart, so that the example read is the one run,
 * and its table of operations must be OPERATIONS.
 */
function readmeMatches(): void {
  const readme = readFileSync(join(SDK, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
  check(blocks.includes(readFileSync(QUICKSTART, 'utf8')), 'sdk/README.md does not show sdk/examples/quickstart.ts verbatim in a ```ts block');
  const rows = [...readme.matchAll(/^\| `(\w+)` \| `client\.([\w.]+)` \|$/gm)].map((m) => `${m[1]} ${m[2]}`);
  const expected = Object.entries(OPERATIONS).map(([op, method]) => `${op} ${method}`);
  check(JSON.stringify(rows) === JSON.stringify(expected), `sdk/README.md's operations table is not OPERATIONS:\n${rows.join('\n')}`);
}

async function pack(work: string): Promise<string> {
  await run(process.execPath, [join(SDK, 'build.cjs')]);
  // The build ran just now: --ignore-scripts skips prepack's second one.
  const [packed] = JSON.parse(await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: SDK })) as {
    filename: string;
    version: string;
    files: { path: string }[];
  }[];
  const files = packed.files.map((f) => f.path);
  for (const path of PACKED) check(files.includes(path), `the tarball has no ${path}`);
  check(!files.some((f) => f.startsWith('src/')), 'the tarball holds sources');
  console.log(`    ${packed.filename}: ${files.length} files`);
  return join(work, packed.filename);
}

/** A fresh project that installs the tarball and compiles the consumers against it. */
async function install(work: string, tarball: string): Promise<string> {
  const app = join(work, 'consumer');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'sdk-consumer', private: true, type: 'commonjs' }, null, 2));
  // From the npm cache when it has the dependencies (the root install put them there).
  await run('npm', ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund'], { cwd: app });
  const installed = JSON.parse(readFileSync(join(app, 'node_modules', '@cloud-api', 'sdk', 'package.json'), 'utf8'));
  const sdkVersion = JSON.parse(readFileSync(join(SDK, 'package.json'), 'utf8')).version;
  check(installed.version === sdkVersion, `installed ${installed.version}, expected ${sdkVersion}`);
  for (const dep of Object.keys(installed.dependencies)) check(existsSync(join(app, 'node_modules', dep)), `${dep} was not installed`);
  copyFileSync(join(CONSUMERS, 'esm.mts'), join(app, 'esm.mts'));
  copyFileSync(join(CONSUMERS, 'cjs.cts'), join(app, 'cjs.cts'));
  copyFileSync(QUICKSTART, join(app, 'quickstart.ts'));
  const tsconfig = {
    compilerOptions: {
      strict: true,
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      outDir: 'out',
      rootDir: '.',
      // Node's types for process.env, from the root install (the consumer has no dev dependencies).
      typeRoots: [join(ROOT, 'node_modules', '@types')],
      types: ['node'],
    },
    include: ['*.ts', '*.mts', '*.cts'],
  };
  writeFileSync(join(app, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  await run(process.execPath, [TSC, '-p', app]);
  return app;
}

/** A fresh server (its first user printed on start), an all-scopes API key, and the three programs run against it. */
async function runConsumers(app: string): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cloud-api-sdk-'));
  const server = await startServer({ DATA_DIR: dataDir, PASSWORD_HASH_COST: '10' });
  try {
    const password = /password:\s+(\S+)/.exec(server.stderr())?.[1];
    check(password, 'the server printed no first-user password');
    const owner = new CloudApi({ baseUrl: server.url, email: 'owner@example.com', password });
    const { key } = await owner.apiKeys.create({ name: 'check:sdk', scopes: [...scopeValues] });
    await owner.auth.logout();
    const env = { CLOUD_API_URL: server.url, CLOUD_API_KEY: key };
    const out = join(app, 'out');
    const [quickstart, esm, cjs] = await Promise.all([
      run(process.execPath, [join(out, 'quickstart.js')], { env }),
      run(process.execPath, [join(out, 'esm.mjs')], { env }),
      run(process.execPath, [join(out, 'cjs.cjs')], { env }),
    ]);
    check(quickstart.trim().endsWith('quickstart: done'), `the quickstart did not finish:\n${quickstart}`);
    for (const line of [...quickstart.trim().split('\n'), esm.trim(), cjs.trim()]) console.log(`    ${line}`);
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  console.log('check:sdk');
  readmeMatches();
  const work = mkdtempSync(join(tmpdir(), 'cloud-api-sdk-pack-'));
  try {
    const tarball = await step('build and npm pack', () => pack(work));
    const app = await step('npm install <tarball> in a fresh project; tsc --strict over an ESM and a CJS consumer and the quickstart', () =>
      install(work, tarball),
    );
    await step('the quickstart and both consumers against a fresh server', () => runConsumers(app));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  console.log(`check:sdk passed in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  console.error('check:sdk failed.');
  process.exit(1);
});
