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

/**
 * What a mock that keeps no state cannot answer truthfully, left out of its copy: a replay
 * (`Idempotent-Replayed`, which Prism would send on every first request) and `422
 * idempotency_key_reused`, which Prism would pick for any invalid request over the `400
 * validation_failed` the service gives.
 */
function withoutReplays(doc: { paths?: Record<string, Record<string, { responses?: Record<string, unknown> }>>; components?: { responses?: Record<string, { headers?: Record<string, unknown> }> } }): void {
  for (const item of Object.values(doc.paths ?? {})) {
    for (const op of Object.values(item)) {
      if (!op?.responses) continue;
      delete op.responses['422'];
      for (const response of Object.values(op.responses) as { headers?: Record<string, unknown> }[]) delete response.headers?.['Idempotent-Replayed'];
    }
  }
  for (const response of Object.values(doc.components?.responses ?? {})) delete response.headers?.['Idempotent-Replayed'];
}

/** The contract with `/v1` (the path of its first, relative server URL) in front of every path. */
function mockContract(text: string): unknown {
  const doc = parse(text);
  withoutReplays(doc);
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
