import assert from 'node:assert/strict';
import pathToRegexpModule = require('path-to-regexp');
import { rememberRouteRegexps } from '../../src/http/routeRegexpCache';

describe('route regexp cache (rememberRouteRegexps)', () => {
  before(() => rememberRouteRegexps());

  it('compiles each path and options once, and the result matches what path-to-regexp itself gives', () => {
    const opts = { sensitive: false, strict: false };
    const first = pathToRegexpModule.pathToRegexp('/v1/projects/:project_id', { ...opts });
    const again = pathToRegexpModule.pathToRegexp('/v1/projects/:project_id', { ...opts });
    assert.equal(again, first);
    assert.deepEqual(first.keys.map((k) => k.name), ['project_id']);
    assert.deepEqual(first.regexp.exec('/V1/projects/prj_1')?.slice(1), ['prj_1']);
    assert.equal(first.regexp.exec('/v1/projects'), null);
  });

  it('different options are different entries (case-sensitive routing is honoured)', () => {
    const insensitive = pathToRegexpModule.pathToRegexp('/v1/usage', { sensitive: false });
    const sensitive = pathToRegexpModule.pathToRegexp('/v1/usage', { sensitive: true });
    assert.notEqual(sensitive, insensitive);
    assert.ok(insensitive.regexp.test('/V1/Usage'));
    assert.ok(!sensitive.regexp.test('/V1/Usage'));
  });

  it('options it cannot key (functions) are compiled each time, as before', () => {
    const decode = (s: string) => s;
    const a = pathToRegexpModule.pathToRegexp('/v1/things/:id', { decode } as never);
    const b = pathToRegexpModule.pathToRegexp('/v1/things/:id', { decode } as never);
    assert.notEqual(a, b);
    assert.deepEqual(a.regexp.exec('/v1/things/x')?.slice(1), ['x']);
  });

  it('installing twice does not wrap twice', () => {
    const fn = pathToRegexpModule.pathToRegexp;
    rememberRouteRegexps();
    assert.equal(pathToRegexpModule.pathToRegexp, fn);
  });
});
