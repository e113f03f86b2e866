import supertest from 'supertest';
import type { Express } from 'express';
import { loadConfig, type Config } from '../src/config';
import { createLogger } from '../src/logger';
import { ephemeralSecrets, type Secrets } from '../src/secrets';
import type { AsyncStore as Store } from '../src/store/ports';
import { createApp, type AppDeps } from '../src/app';
import { createContractValidators, type ContractValidators } from '../src/pipeline/steps/validate';
import { loadSpec } from '../src/contract/document';
import { createUserInWorkspace } from '../src/identity/users';
import { contractCheck } from './support/contractCheck';
import { engineEnv, openTestStore, testRedis, type Rows } from './support/engine';
import type { Role } from '../src/auth/scopes';

export const PUBLIC_URL = 'http://cloud-api.test';

export interface TestApp {
  app: Express;
  http: ReturnType<typeof supertest>;
  store: Store;
  config: Config;
  secrets: Secrets;
  /** Every line the app logged, parsed. */
  logs: Record<string, unknown>[];
  /** Raw log output, for searching secrets. */
  rawLog: () => string;
  /** Writes the in-memory usage counters to the store now (the service does it every second). */
  flushUsage: () => Promise<void>;
  /** The rows of a query on the app's database (SQLite or PostgreSQL), for tests of what is stored. */
  rows: Rows;
}

/**
 * The test configuration: a fresh database (SQLite in memory, or on the PostgreSQL pass a schema
 * of its own, see support/engine.ts), cheap password hashing, a fixed public URL.
 */
export function testConfig(env: Record<string, string> = {}): Config {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_PATH: ':memory:',
    PASSWORD_HASH_COST: '10',
    PUBLIC_URL,
    LOG_LEVEL: 'debug',
    ...engineEnv(),
    ...env,
  });
  if (!config.validateResponses) throw new Error('tests must run with response validation on');
  return config;
}

export interface TestHooks {
  /** Replaces the store the app sees (wrap the real one). */
  store?: (real: Store) => Store;
  /** Replaces the handler map. */
  handlers?: AppDeps['handlers'];
}

let validators: ContractValidators | undefined;

/**
 * One express-openapi-validator for every test app of the real contract: a new one compiles every
 * schema again on first use, which was most of each test's time (the service has one per process).
 */
const sharedValidators = () => (validators ??= createContractValidators(loadSpec(), true));

/** The real app on a fresh database, response validation on. */
export function makeTestApp(env: Record<string, string> = {}, hooks: TestHooks = {}): TestApp {
  const config = testConfig(env);
  const lines: string[] = [];
  const logger = createLogger(config.logLevel, (line) => lines.push(line));
  const { store: real, rows } = openTestStore(config);
  const store = hooks.store ? hooks.store(real) : real;
  const secrets = ephemeralSecrets();
  const redis = testRedis(config);
  const validators = sharedValidators();
  const { app, meter } = createApp({ config, store, secrets, logger, redis, validators, handlers: hooks.handlers, inspect: contractCheck() });
  return testAppOf({ app, meter, store, config, secrets, lines, rows });
}

/** The TestApp of an app made by createApp, whose logger writes to `lines`. */
export function testAppOf(parts: Omit<TestApp, 'http' | 'logs' | 'rawLog' | 'flushUsage'> & { meter: { flush(): Promise<void> }; lines: string[] }): TestApp {
  const { app, meter, store, config, secrets, lines, rows } = parts;
  return {
    app,
    http: supertest(app),
    store,
    config,
    secrets,
    get logs() {
      return lines.map((l) => JSON.parse(l));
    },
    rawLog: () => lines.join(''),
    flushUsage: () => meter.flush(),
    rows,
  };
}

export interface TestUser {
  email: string;
  password: string;
  userId: string;
  workspaceId: string;
}

let counter = 0;

export async function createUser(
  t: TestApp,
  opts: { email?: string; password?: string; workspace?: string; role?: Role } = {},
): Promise<TestUser> {
  counter += 1;
  const email = opts.email ?? `user${counter}@example.com`;
  const password = opts.password ?? `password-${counter}-long-enough`;
  const workspace = opts.workspace ?? `Workspace ${counter}`;
  const role = opts.role ?? 'owner';
  // A workspace's first member is its owner: an admin or member joins one that has an owner.
  if (role !== 'owner' && !(await t.store.identity.findWorkspaceByName(workspace))) {
    await createUser(t, { email: `owner-${counter}@example.com`, workspace, role: 'owner' });
  }
  const created = await createUserInWorkspace(t.store, { email, password, workspace, role, passwordHashCost: t.config.passwordHashCost });
  return { email, password, userId: created.user_id, workspaceId: created.workspace_id };
}

export interface Tokens {
  access_token: string;
  refresh_token: string;
}

export async function login(t: TestApp, user: { email: string; password: string; workspace_id?: string }): Promise<Tokens> {
  const { email, password, workspace_id } = user;
  const res = await t.http.post('/v1/auth/login').send({ email, password, ...(workspace_id && { workspace_id }) });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
}

/** A user with a workspace of their own, logged in; `auth` is the Authorization header value. */
export async function signedIn(t: TestApp, opts: Parameters<typeof createUser>[1] = {}) {
  const user = await createUser(t, opts);
  const tokens = await login(t, user);
  return { ...user, tokens, auth: `Bearer ${tokens.access_token}` };
}

/** Asserts the error envelope and returns the error object. */
export function expectError(
  res: { status: number; body: any; headers: Record<string, string> },
  status: number,
  code: string,
): { code: string; message: string; details: unknown[]; request_id: string } {
  const where = `${status} ${code}, got ${res.status} ${JSON.stringify(res.body)}`;
  if (res.status !== status) throw new Error(`expected ${where}`);
  const err = res.body?.error;
  if (!err || err.code !== code) throw new Error(`expected ${where}`);
  if (typeof err.message !== 'string' || !Array.isArray(err.details)) throw new Error(`bad envelope: ${where}`);
  if (!res.headers['x-request-id'] || err.request_id !== res.headers['x-request-id']) {
    throw new Error(`request_id must match X-Request-Id: ${where}`);
  }
  return err;
}
