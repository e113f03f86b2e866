// express-openapi-validator finds a request's operation by compiling every route of the contract
// with path-to-regexp, on every request, until one matches (openapi.metadata.js, lookupRoute):
// for the last route of the spec that is a dozen compilations per request. The compilation is a
// pure function of its arguments, so it is remembered here, once per process, before the
// validator runs. Express's router compiles its layers once and is unaffected.
import pathToRegexpModule = require('path-to-regexp');

type Compile = typeof pathToRegexpModule.pathToRegexp;

const MAX_ENTRIES = 1000;
let installed = false;

/** Makes `pathToRegexp(path, options)` return the same compiled result for the same string path and options. */
export function rememberRouteRegexps(): void {
  if (installed) return;
  installed = true;
  const compile: Compile = pathToRegexpModule.pathToRegexp;
  const cache = new Map<string, ReturnType<Compile>>();
  const remembering = ((path, options) => {
    if (typeof path !== 'string') return compile(path, options);
    const key = `${path}\u0000${options ? JSON.stringify(options) : ''}`;
    let compiled = cache.get(key);
    if (!compiled) {
      compiled = compile(path, options);
      if (cache.size >= MAX_ENTRIES) cache.clear();
      cache.set(key, compiled);
    }
    return compiled;
  }) as Compile;
  (pathToRegexpModule as { pathToRegexp: Compile }).pathToRegexp = remembering;
}
