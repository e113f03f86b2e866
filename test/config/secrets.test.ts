import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { secretsAsEnv, secretsFromEnv, SecretsError } from '../../src/secrets';
import { parseEnvLines } from '../support/envLines';

const parseEnv = parseEnvLines;

describe('secrets: from the environment (several instances)', () => {
  it('none set: undefined (one instance keeps them in DATA_DIR)', () => {
    assert.equal(secretsFromEnv({}), undefined);
  });

  it('generate-secrets output round-trips, with the PEM on one line', () => {
    const env = parseEnv(secretsAsEnv());
    const a = secretsFromEnv(env)!;
    const b = secretsFromEnv(env)!;
    assert.equal(a.jwtKeyId, b.jwtKeyId);
    assert.deepEqual(a.pepper, b.pepper);
    assert.equal(a.cursorKey.length, 32);
  });

  it('refuses partial, short, non-base64 or non-P-256 values with a message naming the variable', () => {
    const env = parseEnv(secretsAsEnv());
    const refused = (e: Record<string, string>, message: RegExp) =>
      assert.throws(() => secretsFromEnv(e), (err: unknown) => err instanceof SecretsError && message.test(err.message));
    refused({ PEPPER: env.PEPPER }, /JWT_PRIVATE_KEY, CURSOR_KEY must be set with PEPPER/);
    refused({ ...env, CURSOR_KEY: Buffer.alloc(16).toString('base64') }, /CURSOR_KEY must be base64 of at least 32/);
    refused({ ...env, PEPPER: 'not base64!' }, /PEPPER must be base64/);
    refused({ ...env, JWT_PRIVATE_KEY: 'garbage' }, /JWT_PRIVATE_KEY must be a PEM/);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    refused({ ...env, JWT_PRIVATE_KEY: rsa }, /EC P-256/);
  });
});
