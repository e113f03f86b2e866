import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import supertest from 'supertest';
import type { Redis } from 'ioredis';
import { parse, stringify } from 'yaml';
import { createApp } from '../../src/app';
import { compileOperations } from '../../src/contract/operations';
import { loadSpec, SPEC_PATH, type OpenApiDocument } from '../../src/contract/document';
import { withDeprecationNotes } from '../../src/contract/deprecations';
import type { Secrets } from '../../src/secrets';
import { PUBLIC_URL, type TestApp } from '../helpers';
import { testDeps } from './app';
import { contractCheck } from './contractCheck';
import { testRedis } from './engine';

/** The contract as a plain object (the real openapi.yaml, read now). */
export function readSpec(path = SPEC_PATH): any {
  return parse(readFileSync(path, 'utf8'));
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Every operation of a parsed contract, with its path and method. */
export function operationsOf(doc: any): { path: string; method: string; op: any }[] {
  const out: { path: string; method: string; op: any }[] = [];
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    for (const method of HTTP_METHODS) if (item[method]) out.push({ path, method, op: item[method] });
  }
  return out;
}

/** The policies an operation declares (its own `x-rate-limit`, else the document default), as an array. */
export function declaredPolicies(doc: any, op: any): { group: string; limit: number; window: number; by?: string }[] {
  const declared = op['x-rate-limit'] ?? doc['x-rate-limit-default'];
  return Array.isArray(declared) ? declared : [declared];
}

/** Sets `limit` (and `window`, when given) of every declaration of `group`, default included. */
export function setGroup(doc: any, group: string, numbers: { limit?: number; window?: number }): void {
  const declarations = [doc['x-rate-limit-default'], ...operationsOf(doc).map(({ op }) => op['x-rate-limit'])];
  let found = 0;
  for (const d of declarations) {
    for (const p of Array.isArray(d) ? d : d ? [d] : []) {
      if (p.group !== group) continue;
      Object.assign(p, numbers);
      found++;
    }
  }
  if (!found) throw new Error(`no rate limit group '${group}' in the contract`);
}

let dirs: string[] = [];

/** Writes a copy of openapi.yaml, changed by `mutate`, to a temp dir; returns its path. */
export function specCopy(mutate: (doc: any) => void): string {
  const doc = readSpec();
  mutate(doc);
  const dir = mkdtempSync(join(tmpdir(), 'cloud-api-spec-'));
  dirs.push(dir);
  const path = join(dir, 'openapi.yaml');
  writeFileSync(path, stringify(doc));
  return path;
}

/** A copy of the contract with these groups' numbers changed. */
export function specWithLimits(groups: Record<string, { limit?: number; window?: number }>): string {
  return specCopy((doc) => {
    for (const [group, numbers] of Object.entries(groups)) setGroup(doc, group, numbers);
  });
}

/** Removes the copies written by specCopy (call in `after`). */
export function removeSpecCopies(): void {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
}

/**
 * The contract as the app serves it (deprecations noted, their headers documented): what its
 * responses are checked against. The file itself when it is too broken to be served.
 */
function servedContract(path: string): string | OpenApiDocument {
  try {
    const doc = loadSpec(path);
    return withDeprecationNotes(doc, compileOperations(doc, { rateLimitMultiplier: 1, publicUrl: PUBLIC_URL }));
  } catch {
    return path;
  }
}

/**
 * makeTestApp() from another contract file: the real app (createApp with `specPath`) on a fresh
 * test database. `secrets` lets two apps accept each other's tokens (apps sharing one database).
 */
export function appFromSpec(
  specPath: string | undefined,
  env: Record<string, string> = {},
  opts: { secrets?: Secrets; redis?: Redis } = {},
): TestApp {
  const deps = testDeps(env);
  const secrets = opts.secrets ?? deps.secrets;
  const inspect = contractCheck(servedContract(specPath ?? SPEC_PATH));
  const { app, meter } = createApp({ ...deps, secrets, specPath, inspect, redis: opts.redis ?? testRedis(deps.config) });
  return {
    app,
    http: supertest(app),
    store: deps.store,
    config: deps.config,
    secrets,
    get logs() {
      return deps.lines.map((l) => JSON.parse(l));
    },
    rawLog: () => deps.lines.join(''),
    flushUsage: () => meter.flush(),
    rows: deps.rows,
  };
}
