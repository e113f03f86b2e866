import assert from 'node:assert/strict';
import { makeTestApp, signedIn, type TestApp } from '../helpers';
import { bearer } from '../support/apiKeys';

// Issue #23 item 1: query values as clients encode them. URLSearchParams (and so browsers and
// generated clients) writes a space as `+`, and RFC 3986 allows sub-delims and `:` in a query
// unencoded; the validator refused all of these unless the parameter said allowReserved.

describe('listProjects: query values as clients encode them', () => {
  let t: TestApp;
  let auth: Record<string, string>;
  const names = ['Payments API', 'a,b', 'a:b', "O'Brien", 'x;y=z', 'tax (EU) & VAT!', 'p*q@r$s'];
  before(async () => {
    t = makeTestApp();
    auth = bearer((await signedIn(t)).auth);
    for (const name of names) await t.http.post('/v1/projects').set(auth).send({ name }).expect(201);
  });

  const found = async (query: string) => {
    const res = await t.http.get(`/v1/projects?${query}`).set(auth);
    assert.equal(res.status, 200, `${query}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.data.map((p: { name: string }) => p.name);
  };

  it('listProjects: 200 with `+` for a space, as form encoding and URLSearchParams write it', async () => {
    assert.deepEqual(await found('name=Payments+API'), ['Payments API']);
    assert.deepEqual(await found(new URLSearchParams({ name: 'Payments API' }).toString()), ['Payments API']);
  });

  it('listProjects: 200 with sub-delims and `:` unencoded, each finding what it names', async () => {
    for (const [query, name] of [
      ['name=a,b', 'a,b'],
      ['name=a:b', 'a:b'],
      ["name=O'Brien", "O'Brien"],
      ['name=p*q@r$s', 'p*q@r$s'],
      ['name=tax+(EU)+%26+VAT!', 'tax (EU) & VAT!'],
    ]) {
      assert.deepEqual(await found(query), [name], query);
    }
  });

  it('listProjects: 200 with every value percent-encoded, as before', async () => {
    for (const name of names) assert.deepEqual(await found(`name=${encodeURIComponent(name)}`), [name], name);
  });

  it('listProjects: a literal plus is %2B', async () => {
    await t.http.post('/v1/projects').set(auth).send({ name: 'C++' }).expect(201);
    assert.deepEqual(await found('name=C%2B%2B'), ['C++']);
  });
});
