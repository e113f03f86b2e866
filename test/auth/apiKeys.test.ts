import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { parse } from 'yaml';
import {
  API_KEY_PATTERN,
  displayParts,
  generateApiKey,
  hashApiKey,
  isWellFormedApiKey,
} from '../../src/auth/apiKeys';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SPEC_REGEX = '^cp_(live|test)_[0-9A-Za-z]{32}[0-9A-Za-z]{6}$';

/** An independent base62 CRC32 (6 digits, most significant first), to check the implementation against. */
function expectedChecksum(body: string): string {
  let n = BigInt(crc32(body));
  let out = '';
  for (let i = 0; i < 6; i++) {
    out = BASE62[Number(n % 62n)] + out;
    n /= 62n;
  }
  assert.equal(n, 0n, 'a CRC32 fits in 6 base62 digits');
  return out;
}

/** Every key with exactly one character changed to another base62 character, at `position`. */
function variantsAt(key: string, position: number): string[] {
  return [...BASE62].filter((c) => c !== key[position]).map((c) => key.slice(0, position) + c + key.slice(position + 1));
}

describe('API key format (src/auth/apiKeys)', () => {
  describe('generateApiKey', () => {
    it('generateApiKey: matches the documented format, cp_live_ by default and cp_test_ on request', () => {
      for (let i = 0; i < 200; i++) {
        const live = generateApiKey();
        assert.match(live, /^cp_live_[0-9A-Za-z]{32}[0-9A-Za-z]{6}$/);
        assert.equal(live.length, 8 + 32 + 6);
        const test = generateApiKey('test');
        assert.match(test, /^cp_test_[0-9A-Za-z]{32}[0-9A-Za-z]{6}$/);
      }
      assert.match(generateApiKey('live'), /^cp_live_/);
    });

    it('generateApiKey: the last six characters are the base62 CRC32 of everything before them', () => {
      for (let i = 0; i < 500; i++) {
        const key = generateApiKey(i % 2 ? 'live' : 'test');
        assert.equal(key.slice(-6), expectedChecksum(key.slice(0, -6)), key);
      }
    });

    it('generateApiKey: keys are unique', () => {
      const keys = new Set<string>();
      for (let i = 0; i < 10_000; i++) keys.add(generateApiKey());
      assert.equal(keys.size, 10_000);
      // Not even the 4 random characters shown as part of the prefix are all the same.
      assert.ok(new Set([...keys].map((k) => k.slice(0, 12))).size > 1000);
    });

    it('generateApiKey: random characters are spread over the whole base62 alphabet, at every position', () => {
      const N = 4000;
      const counts = new Map<string, number>();
      const perPosition: Set<string>[] = Array.from({ length: 32 }, () => new Set());
      for (let i = 0; i < N; i++) {
        const body = generateApiKey().slice(8, 40);
        for (let p = 0; p < 32; p++) {
          counts.set(body[p], (counts.get(body[p]) ?? 0) + 1);
          perPosition[p].add(body[p]);
        }
      }
      assert.deepEqual([...counts.keys()].sort(), [...BASE62].sort(), 'every base62 character occurs, and nothing else');
      // Expected N * 32 / 62 ≈ 2065 each, standard deviation ≈ 45: these bounds are about ±9 sigma,
      // loose enough never to flake and tight enough to catch a modulo bias (which skews by ~25%).
      const expected = (N * 32) / 62;
      for (const [c, n] of counts) {
        assert.ok(n > expected * 0.8 && n < expected * 1.2, `${c} occurred ${n} times, expected about ${expected}`);
      }
      // Chi-square with 61 degrees of freedom: mean 61, and 150 is far beyond any plausible fluke.
      let chi2 = 0;
      for (const n of counts.values()) chi2 += (n - expected) ** 2 / expected;
      assert.ok(chi2 < 150, `chi-square ${chi2.toFixed(1)} for 61 degrees of freedom`);
      // No position is stuck: each sees (almost) the whole alphabet over 4000 keys.
      for (let p = 0; p < 32; p++) assert.ok(perPosition[p].size >= 60, `position ${p}: ${perPosition[p].size} characters`);
    });
  });

  describe('API_KEY_PATTERN', () => {
    it('API_KEY_PATTERN: is exactly the regex the contract documents for apiKeyAuth and the created key', () => {
      assert.equal(API_KEY_PATTERN.source, SPEC_REGEX);
      assert.equal(API_KEY_PATTERN.flags, '');
      const spec = parse(readFileSync(join(__dirname, '../../openapi.yaml'), 'utf8'));
      const scheme = spec.components.securitySchemes.apiKeyAuth;
      assert.equal(scheme.type, 'apiKey');
      assert.equal(scheme.in, 'header');
      assert.equal(scheme.name, 'x-api-key');
      assert.ok(scheme.description.includes(SPEC_REGEX), scheme.description);
      assert.equal(spec.components.schemas.ApiKeyCreated.properties.key.pattern, SPEC_REGEX);
    });
  });

  describe('isWellFormedApiKey', () => {
    it('isWellFormedApiKey: accepts generated keys of both environments', () => {
      for (let i = 0; i < 200; i++) {
        assert.ok(isWellFormedApiKey(generateApiKey('live')));
        assert.ok(isWellFormedApiKey(generateApiKey('test')));
      }
    });

    it('isWellFormedApiKey: refuses every single-character change anywhere in the random body or the checksum', () => {
      for (let i = 0; i < 20; i++) {
        const key = generateApiKey();
        for (let p = 8; p < key.length; p++) {
          for (const variant of variantsAt(key, p)) {
            assert.equal(isWellFormedApiKey(variant), false, `${variant} (changed at ${p})`);
          }
        }
      }
    });

    it('isWellFormedApiKey: refuses a key whose environment was changed (the checksum covers the prefix)', () => {
      const live = generateApiKey('live');
      const test = live.replace(/^cp_live_/, 'cp_test_');
      assert.match(test, API_KEY_PATTERN);
      assert.equal(isWellFormedApiKey(test), false);
    });

    it('isWellFormedApiKey: refuses swapped adjacent characters', () => {
      for (let i = 0; i < 50; i++) {
        const key = generateApiKey();
        for (let p = 8; p < key.length - 1; p++) {
          if (key[p] === key[p + 1]) continue;
          const swapped = key.slice(0, p) + key[p + 1] + key[p] + key.slice(p + 2);
          assert.equal(isWellFormedApiKey(swapped), false, swapped);
        }
      }
    });

    it('isWellFormedApiKey: refuses anything outside the format, even with a correct checksum', () => {
      const key = generateApiKey();
      const withSum = (body: string) => body + expectedChecksum(body);
      const bad = [
        '',
        'cp_live_',
        key.slice(0, -1),
        `${key}x`,
        ` ${key}`,
        `${key} `,
        `${key}\n`,
        key.toUpperCase(),
        key.replace('cp_live_', 'cp_prod_'),
        key.replace('cp_live_', 'CP_LIVE_'),
        key.replace('cp_live_', 'sk_live_'),
        withSum(`cp_prod_${'a'.repeat(32)}`),
        withSum(`cp_live_${'a'.repeat(31)}`),
        withSum(`cp_live_${'a'.repeat(33)}`),
        withSum(`cp_live_${'a'.repeat(31)}-`),
        withSum(`cp_live_${'a'.repeat(31)}_`),
        withSum(`cp_live_${'a'.repeat(31)}é`),
        `cp_live_${'a'.repeat(32)}`,
        randomBytes(23).toString('base64url'),
      ];
      for (const candidate of bad) assert.equal(isWellFormedApiKey(candidate), false, JSON.stringify(candidate));
      // Control: a hand-built body with a correct checksum is well-formed.
      assert.equal(isWellFormedApiKey(withSum(`cp_live_${'a'.repeat(32)}`)), true);
      assert.equal(isWellFormedApiKey(withSum(`cp_test_${'0'.repeat(32)}`)), true);
    });
  });

  describe('displayParts', () => {
    it('displayParts: the prefix is the first 12 characters (cp_live_ and four more), last4 the last four', () => {
      for (const env of ['live', 'test'] as const) {
        const key = generateApiKey(env);
        const parts = displayParts(key);
        assert.deepEqual(Object.keys(parts).sort(), ['last4', 'prefix']);
        assert.equal(parts.prefix, key.slice(0, 12));
        assert.ok(parts.prefix.startsWith(`cp_${env}_`));
        assert.equal(parts.prefix.length, 12);
        assert.equal(parts.last4, key.slice(-4));
        assert.equal(parts.last4.length, 4);
      }
    });

    it('displayParts: reveals 8 of the 38 random and checksum characters; the rest stays secret', () => {
      const key = generateApiKey();
      const { prefix, last4 } = displayParts(key);
      const hidden = key.slice(prefix.length, -last4.length);
      assert.equal(hidden.length, 30);
      // 28 of the 32 random characters are never shown (over 160 bits).
      assert.equal(key.slice(12, 40).length, 28);
      assert.equal(prefix + hidden + last4, key);
    });
  });

  describe('hashApiKey', () => {
    it('hashApiKey: HMAC-SHA-256, deterministic per pepper, different for another pepper or key', () => {
      const pepper = randomBytes(32);
      const key = generateApiKey();
      const h = hashApiKey(key, pepper);
      assert.equal(h.length, 32);
      assert.deepEqual(hashApiKey(key, pepper), h);
      assert.notDeepEqual(hashApiKey(key, randomBytes(32)), h);
      assert.notDeepEqual(hashApiKey(generateApiKey(), pepper), h);
      assert.ok(!h.toString('latin1').includes(key));
    });
  });
});
