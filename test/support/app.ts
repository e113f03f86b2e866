import supertest from 'supertest';
import { loadConfig, type Config } from '../../src/config';
import { createLogger, type Logger } from '../../src/logger';
import { ephemeralSecrets, type Secrets } from '../../src/secrets';
import { openStore, type Store } from '../../src/store';
import type { ProjectStore } from '../../src/store/projects';
import { createApp, type AppDeps } from '../../src/app';
import { PUBLIC_URL, type TestApp } from '../helpers';

export interface Deps {
  config: Config;
  store: Store;
  secrets: Secrets;
  logger: Logger;
  lines: string[];
}

/** The dependencies makeTestApp() builds, for tests that call createApp themselves. */
export function testDeps(env: Record<string, string> = {}): Deps {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_PATH: ':memory:',
    PASSWORD_HASH_COST: '10',
    PUBLIC_URL,
    LOG_LEVEL: 'debug',
    ...env,
  });
  const lines: string[] = [];
  return {
    config,
    store: openStore(config.databasePath),
    secrets: ephemeralSecrets(),
    logger: createLogger(config.logLevel, (line) => lines.push(line)),
    lines,
  };
}

/**
 * Like makeTestApp(), with hooks: `store` replaces the store the app sees (wrap the real one),
 * `handlers` replaces the handler map.
 */
export function makeAppWith(opts: {
  env?: Record<string, string>;
  store?: (real: Store) => Store;
  handlers?: AppDeps['handlers'];
}): TestApp {
  const deps = testDeps(opts.env);
  const store = opts.store ? opts.store(deps.store) : deps.store;
  const { app } = createApp({ config: deps.config, store, secrets: deps.secrets, logger: deps.logger, handlers: opts.handlers });
  const { lines } = deps;
  return {
    app,
    http: supertest(app),
    store,
    config: deps.config,
    secrets: deps.secrets,
    get logs() {
      return lines.map((l) => JSON.parse(l));
    },
    rawLog: () => lines.join(''),
  };
}

/** The real store, except that `method` of the project store throws `new Error(message)`. */
export function failingProjects(method: keyof ProjectStore, message = 'secret internal detail') {
  return (real: Store): Store => ({
    ...real,
    projects: {
      ...real.projects,
      [method]: () => {
        throw new Error(message);
      },
    },
  });
}
