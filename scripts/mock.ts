// `npm run mock [-- --port 4010] [-- --host 127.0.0.1]`: a mock of the API that answers from the
// examples in openapi.yaml (Prism), at the same paths as a deployment (`/v1/...`), for front-end
// work without the service. Prism ignores `servers`, so it is given a copy of the contract whose
// paths carry the server's path prefix.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse, stringify } from 'yaml';

const ROOT = join(__dirname, '..');
const { values } = parseArgs({
  options: { port: { type: 'string', default: process.env.MOCK_PORT ?? '4010' }, host: { type: 'string', default: '127.0.0.1' } },
});

/** The contract with `/v1` (the path of its first, relative server URL) in front of every path. */
function mockContract(text: string): unknown {
  const doc = parse(text);
  const prefix = new URL(doc.servers?.[0]?.url ?? '/', 'http://mock').pathname.replace(/\/$/, '');
  doc.paths = Object.fromEntries(Object.entries(doc.paths ?? {}).map(([path, item]) => [`${prefix}${path}`, item]));
  doc.servers = [{ url: `http://${values.host}:${values.port}`, description: 'Prism mock' }];
  return doc;
}

const dir = join(ROOT, 'temp', 'mock');
mkdirSync(dir, { recursive: true });
const file = join(dir, 'openapi.yaml');
writeFileSync(file, stringify(mockContract(readFileSync(join(ROOT, 'openapi.yaml'), 'utf8')), { aliasDuplicateObjects: false }));

const prism = spawn(join(ROOT, 'node_modules', '.bin', 'prism'), ['mock', file, '--host', values.host!, '--port', values.port!], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => prism.kill(signal));
prism.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
