import { loadConfig, type Config } from '../../src/config';
import { createLogger, type Logger } from '../../src/logger';
import { ephemeralSecrets, type Secrets } from '../../src/secrets';
import type { AsyncStore as Store, ProjectStore } from '../../src/store/ports';
import { engineEnv, openTestStore, type Rows } from './engine';
import { failingMethod } from './storeHooks';
import { makeTestApp, PUBLIC_URL, testConfig, type TestApp, type TestHooks } from '../helpers';

export interface Deps {
  config: Config;
  store: Store;
  secrets: Secrets;
  logger: Logger;
  lines: string[];
  rows: Rows;
}

/** The dependencies makeTestApp() builds, for tests that call createApp themselves. */
export function testDeps(env: Record<string, string> = {}, validateResponses = true): Deps {
  const config = validateResponses ? testConfig(env) : loadConfig({ DATABASE_PATH: ':memory:', PUBLIC_URL, LOG_LEVEL: 'debug', ...engineEnv(), ...env });
  const lines: string[] = [];
  return {
    config,
    ...openTestStore(config),
    secrets: ephemeralSecrets(),
    logger: createLogger(config.logLevel, (line) => lines.push(line)),
    lines,
  };
}

/** makeTestApp() with hooks: `store` wraps the real store, `handlers` replaces the handler map. */
export function makeAppWith(opts: { env?: Record<string, string> } & TestHooks): TestApp {
  return makeTestApp(opts.env, opts);
}

/** The real store, except that `method` of the project store throws `new Error(message)`. */
export function failingProjects(method: keyof ProjectStore, message = 'secret internal detail') {
  return failingMethod('projects', method, message);
}
