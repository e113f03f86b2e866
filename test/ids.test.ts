import assert from 'node:assert/strict';
import { newId } from '../src/ids';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const decode = (s: string) => [...s].reduce((v, c) => v * 32n + BigInt('0123456789ABCDEFGHJKMNPQRSTVWXYZ'.indexOf(c)), 0n);

describe('ids (newId)', () => {
  it('is the prefix and a 26-character ULID whose first 10 characters are the time in milliseconds', () => {
    const t = Date.now() + 10_000_000;
    const id = newId('prj', t);
    assert.match(id, /^prj_/);
    assert.match(id.slice(4), ULID);
    assert.equal(decode(id.slice(4, 14)), BigInt(t));
  });

  it('increases strictly, within a millisecond and across them, over 100,000 ids', () => {
    const t = Date.now() + 20_000_000;
    let previous = newId('x', t);
    for (let i = 1; i < 100_000; i++) {
      const id = newId('x', t + Math.floor(i / 7));
      assert.ok(id > previous, `${id} after ${previous}`);
      previous = id;
    }
  });

  it('the random part differs between milliseconds and uses the whole alphabet', () => {
    const t = Date.now() + 30_000_000;
    const randoms = new Set<string>();
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const r = newId('x', t + i).slice(12);
      randoms.add(r);
      for (const c of r) seen.add(c);
    }
    assert.equal(randoms.size, 2000);
    assert.equal(seen.size, 32);
  });
});
