import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, createHash, KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Key material built once at start as KeyObjects (jsonwebtoken is slow with string keys). */
export interface Secrets {
  jwtPrivateKey: KeyObject;
  jwtPublicKey: KeyObject;
  jwtKeyId: string;
  /** HMAC key for pagination cursors. */
  cursorKey: Buffer;
  /** Server-side pepper for hashing API keys and other bearer secrets. */
  pepper: Buffer;
}

interface StoredSecrets {
  version: 1;
  jwt_private_key_pem: string;
  cursor_key: string;
  pepper: string;
}

function generate(): StoredSecrets {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    version: 1,
    jwt_private_key_pem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    cursor_key: randomBytes(32).toString('base64'),
    pepper: randomBytes(32).toString('base64'),
  };
}

function build(stored: StoredSecrets): Secrets {
  const jwtPrivateKey = createPrivateKey(stored.jwt_private_key_pem);
  if (jwtPrivateKey.asymmetricKeyType !== 'ec' || jwtPrivateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new SecretsError('Invalid configuration: JWT_PRIVATE_KEY must be an EC P-256 key (tokens are ES256)');
  }
  const jwtPublicKey = createPublicKey(jwtPrivateKey);
  const der = jwtPublicKey.export({ format: 'der', type: 'spki' });
  return {
    jwtPrivateKey,
    jwtPublicKey,
    jwtKeyId: createHash('sha256').update(der).digest('base64url').slice(0, 16),
    cursorKey: Buffer.from(stored.cursor_key, 'base64'),
    pepper: Buffer.from(stored.pepper, 'base64'),
  };
}

/** The variables that carry the secrets of a deployment, so every instance shares them. */
export const SECRET_VARIABLES = ['JWT_PRIVATE_KEY', 'CURSOR_KEY', 'PEPPER'] as const;

export class SecretsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretsError';
  }
}

/**
 * The secrets from the environment (`JWT_PRIVATE_KEY`: a PEM P-256 private key; `CURSOR_KEY` and
 * `PEPPER`: base64 of at least 32 random bytes), or undefined when none is set. Several instances
 * must share them: a token or cursor one issues is then accepted by all. Partly set is an error.
 */
export function secretsFromEnv(env: Record<string, string | undefined>): Secrets | undefined {
  const present = SECRET_VARIABLES.filter((v) => env[v]);
  if (present.length === 0) return undefined;
  const missing = SECRET_VARIABLES.filter((v) => !env[v]);
  if (missing.length) throw new SecretsError(`Invalid configuration: ${missing.join(', ')} must be set with ${present.join(', ')}`);
  for (const v of ['CURSOR_KEY', 'PEPPER'] as const) {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(env[v]!) || Buffer.from(env[v]!, 'base64').length < 32) {
      throw new SecretsError(`Invalid configuration: ${v} must be base64 of at least 32 random bytes`);
    }
  }
  try {
    return build({ version: 1, jwt_private_key_pem: env.JWT_PRIVATE_KEY!.replace(/\\n/g, '\n'), cursor_key: env.CURSOR_KEY!, pepper: env.PEPPER! });
  } catch (err) {
    if (err instanceof SecretsError) throw err;
    throw new SecretsError('Invalid configuration: JWT_PRIVATE_KEY must be a PEM-encoded EC P-256 private key');
  }
}

/** `KEY=value` lines for a new deployment's secrets (the operator CLI's generate-secrets). */
export function secretsAsEnv(): string {
  const stored = generate();
  return [
    `JWT_PRIVATE_KEY="${stored.jwt_private_key_pem.trim().replace(/\n/g, '\\n')}"`,
    `CURSOR_KEY=${stored.cursor_key}`,
    `PEPPER=${stored.pepper}`,
  ].join('\n');
}

/** Fresh secrets that live only in memory (tests, throwaway runs). */
export function ephemeralSecrets(): Secrets {
  return build(generate());
}

/**
 * Loads `secrets.json` from the data directory, creating it (mode 0600) on first start so that
 * a fresh clone runs with zero configuration and tokens survive restarts.
 */
export function loadOrCreateSecrets(dataDir: string): { secrets: Secrets; created: boolean } {
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as StoredSecrets;
    if (stored.version !== 1 || !stored.jwt_private_key_pem || !stored.cursor_key || !stored.pepper) {
      throw new Error(`${file} is not a valid secrets file; move it away to generate a new one.`);
    }
    return { secrets: build(stored), created: false };
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const stored = generate();
  writeFileSync(file, JSON.stringify(stored, null, 2) + '\n', { mode: 0o600, flag: 'wx' });
  return { secrets: build(stored), created: true };
}
