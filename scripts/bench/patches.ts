// What the two patches of express-openapi-validator's internals still gain (issue #24: keep them only
// where they pay). `npx tsx scripts/bench/patches.ts`: each variant runs in a fresh process (the
// patches are process-wide), builds the request validator as the service does without the contract
// check (production), waits until it is ready, then sends requests through it on loopback.
//   start-up: ms until the validator is ready (skipUnusedContractSchema's business)
//   CPU per request for the last operation of the contract, getEvent, and the first, login
//   (rememberRouteRegexps': the validator compiles routes until one matches)
import { spawnSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import express, { type RequestHandler } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import { loadSpec } from '../../src/contract/document';
import { requestValidatorOptions, validatorsReady } from '../../src/pipeline/steps/validate';
import { rememberRouteRegexps } from '../../src/http/routeRegexpCache';
import { skipUnusedContractSchema } from '../../src/http/contractSchemaCheck';

const REQUESTS = 3000;
const ROUNDS = 3;
const PATHS = { getEvent: '/v1/events/evt_00000000000000000000000000', login: '/v1/auth/login' };

interface Result {
  startupMs: number;
  cpuUsPerRequest: Record<keyof typeof PATHS, number>;
}

async function child(): Promise<void> {
  if (process.env.PATCH_SCHEMA === 'on') skipUnusedContractSchema();
  if (process.env.PATCH_ROUTES === 'on') rememberRouteRegexps();
  const spec = loadSpec();
  const started = performance.now();
  const requests = OpenApiValidator.middleware(requestValidatorOptions(spec, false)) as RequestHandler[];
  const app = express();
  await validatorsReady({ requests }, app);
  const startupMs = performance.now() - started;
  app.use(requests);
  // Whatever the validator decided (a 401-less 200 here, or its 400), the answer is small and the same for both variants.
  app.use((_req, res) => void res.status(204).end());
  app.use(((_err, _req, res, _next) => void res.status(400).end()) as express.ErrorRequestHandler);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const cpuUsPerRequest = {} as Result['cpuUsPerRequest'];
  for (const [name, path] of Object.entries(PATHS) as [keyof typeof PATHS, string][]) {
    const send = () => fetch(base + path, { method: name === 'login' ? 'OPTIONS' : 'GET' }).then((r) => r.arrayBuffer());
    for (let i = 0; i < 200; i++) await send();
    const before = process.cpuUsage();
    for (let i = 0; i < REQUESTS; i++) await send();
    const used = process.cpuUsage(before);
    // Client and server share the process: both variants pay the same client cost, the difference is the validator's.
    cpuUsPerRequest[name] = (used.user + used.system) / REQUESTS;
  }
  server.close();
  process.stdout.write(JSON.stringify({ startupMs, cpuUsPerRequest } satisfies Result));
}

function run(env: Record<string, string>): Result {
  const out = spawnSync(process.execPath, ['--import', 'tsx', __filename], { env: { ...process.env, ...env, PATCH_CHILD: '1' }, encoding: 'utf8' });
  if (out.status !== 0) throw new Error(out.stderr);
  return JSON.parse(out.stdout) as Result;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function main(): void {
  const variants = {
    'both patches': { PATCH_SCHEMA: 'on', PATCH_ROUTES: 'on' },
    'no route cache': { PATCH_SCHEMA: 'on', PATCH_ROUTES: 'off' },
    'no schema skip': { PATCH_SCHEMA: 'off', PATCH_ROUTES: 'on' },
  };
  const results: Record<string, Result[]> = {};
  // Interleaved rounds, so a machine busy for a while weighs on every variant alike.
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, env] of Object.entries(variants)) (results[name] ??= []).push(run(env));
  }
  for (const [name, rs] of Object.entries(results)) {
    const startup = median(rs.map((r) => r.startupMs)).toFixed(0);
    const cpu = (k: keyof typeof PATHS) => median(rs.map((r) => r.cpuUsPerRequest[k])).toFixed(0);
    console.log(`${name.padEnd(16)} start-up ${startup} ms; CPU per request: getEvent ${cpu('getEvent')} µs, login ${cpu('login')} µs`);
  }
}

if (process.env.PATCH_CHILD) void child();
else main();
