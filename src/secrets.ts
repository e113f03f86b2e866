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
