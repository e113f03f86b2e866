import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const KEY_LENGTH = 32;

function scryptAsync(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

const options = (logN: number, r: number, p: number): ScryptOptions => ({
  N: 2 ** logN,
  r,
  p,
  // scrypt needs 128 * N * r bytes; leave headroom.
  maxmem: 256 * 2 ** logN * r + 1024 * 1024,
});

/** scrypt (memory-hard), self-describing: `scrypt$ln=17,r=8,p=1$<salt>$<hash>`. */
export async function hashPassword(password: string, logN: number): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, options(logN, 8, 1));
  return `scrypt$ln=${logN},r=8,p=1$${salt.toString('base64')}$${key.toString('base64')}`;
}

const FORMAT = /^scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

/** Constant-time check; false for any malformed stored hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = FORMAT.exec(stored);
  if (!m) return false;
  const expected = Buffer.from(m[5], 'base64');
  const key = await scryptAsync(password, Buffer.from(m[4], 'base64'), options(Number(m[1]), Number(m[2]), Number(m[3])));
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** True when `stored` was not made with the parameters new hashes get (the cost was changed since). */
export function needsRehash(stored: string, logN: number): boolean {
  const m = FORMAT.exec(stored);
  return !m || Number(m[1]) !== logN || m[2] !== '8' || m[3] !== '1';
}
