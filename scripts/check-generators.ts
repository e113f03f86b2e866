// `npm run check:generators`: what a codegen user of each TypeScript generator gets from openapi.yaml.
// Generates a client with openapi-typescript + openapi-fetch, @hey-api/openapi-ts and orval into
// temp/clients/ (git-ignored), compiles them with `tsc --strict`, then runs each client's smoke
// scenario (contract/clients/common.ts) against a live server started here on a fresh DATA_DIR.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScript, startServer } from '../test/process/run';

const ROOT = join(__dirname, '..');
const OUT = join(ROOT, 'temp', 'clients');
const SOURCES = join(ROOT, 'contract', 'clients');
const BIN = join(ROOT, 'node_modules', '.bin');
const SPEC = join(ROOT, 'openapi.yaml');

const GENERATORS: Record<string, string[][]> = {
  'openapi-fetch': [['openapi-typescript', SPEC, '--output', join(OUT, 'openapi-fetch', 'gen', 'openapi.ts')]],
  'hey-api': [['openapi-ts', '--input', SPEC, '--output', join(OUT, 'hey-api', 'gen'), '--client', '@hey-api/client-fetch', '--silent', '--no-log-file']],
  orval: [['orval', '--config', join(SOURCES, 'orval', 'orval.config.cjs')]],
};

const TSCONFIG = {
  compilerOptions: {
    strict: true,
    noEmit: true,
    target: 'ES2022',
    module: 'ESNext',
    moduleResolution: 'Bundler',
    lib: ['ES2023', 'DOM', 'DOM.Iterable'],
    types: ['node'],
    skipLibCheck: true,
  },
  include: ['**/*.ts'],
};

/** Runs a command; resolves with its output, rejects with it on a non-zero exit. */
function run(command: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env } });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`${command.split('/').pop()} ${args.join(' ')} exited with ${code}\n${output}`))));
  });
}

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  const result = await work();
  console.log(`  ${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result;
}

function prepare(): void {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  cpSync(join(SOURCES, 'common.ts'), join(OUT, 'common.ts'));
  for (const client of Object.keys(GENERATORS)) {
    mkdirSync(join(OUT, client, 'gen'), { recursive: true });
    for (const file of readdirSync(join(SOURCES, client)).filter((f) => f.endsWith('.ts'))) cpSync(join(SOURCES, client, file), join(OUT, client, file));
  }
  writeFileSync(join(OUT, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2));
}

async function smokeAll(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cloud-api-generators-'));
  const env = { DATA_DIR: dataDir, PASSWORD_HASH_COST: '10', NODE_ENV: 'test' };
  const user = { CLOUD_API_EMAIL: 'codegen@example.com', CLOUD_API_PASSWORD: 'generated clients walk every page' };
  const created = await runScript('scripts/cli.ts', ['create-user', '--email', user.CLOUD_API_EMAIL, '--password', user.CLOUD_API_PASSWORD, '--workspace', 'Codegen'], env);
  if (created.code !== 0) throw new Error(`create-user failed:\n${created.stderr}`);
  const server = await startServer(env);
  try {
    const outputs = await Promise.all(
      Object.keys(GENERATORS).map((client) =>
        run(process.execPath, ['--import', 'tsx', join(OUT, client, 'smoke.ts')], { ...user, CLOUD_API_URL: server.url, SMOKE_TAG: client }),
      ),
    );
    for (const out of outputs) process.stdout.write(`    ${out.trim()}\n`);
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  console.log('check:generators');
  prepare();
  await timed('generate (openapi-typescript, @hey-api/openapi-ts, orval)', () =>
    Promise.all(Object.values(GENERATORS).flat().map(([bin, ...args]) => run(join(BIN, bin), args))),
  );
  await timed('tsc --strict over the three clients and their smoke scripts', () => run(join(BIN, 'tsc'), ['-p', join(OUT, 'tsconfig.json')]));
  await timed('smoke against a live server (login, idempotent create, every page, typed 404)', smokeAll);
  console.log(`check:generators passed in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  console.error('check:generators failed.');
  process.exit(1);
});
