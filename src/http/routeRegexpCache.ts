// express-openapi-validator finds a request's operation by compiling every route of the contract
// with path-to-regexp, on every request, until one matches (openapi.metadata.js, lookupRoute):
// for the last route of the spec that is a dozen compilations per request. The compilation is a
// pure function of its arguments, so it is remembered here, once per process, before the
// validator runs. Express's router compiles its layers once and is unaffected.
// Measured gain (scripts/bench/patches.ts, quiet machine, 2026-12-05): CPU per request to getEvent,
// the last route, 1,379 µs with the cache against 1,499 µs without (client in the same process,
// so about 120 µs of a smaller server share); it stays while it pays that.
import pathToRegexpModule = require('path-to-regexp');

type Compile = typeof pathToRegexpModule.pathToRegexp;

const MAX_ENTRIES = 1000;
let installed = false;

// Options made only of these plain values are remembered; anything else (functions) is compiled as before.
const KEYED_OPTIONS = new Set(['sensitive', 'strict', 'end', 'trailing', 'delimiter']);

function keyOf(path: unknown, options: Record<string, unknown> | undefined): string | undefined {
  if (typeof path !== 'string') return undefined;
  let key = path;
  if (options) {
    for (const name in options) {
      const value = options[name];
      if (!KEYED_OPTIONS.has(name) || (typeof value !== 'boolean' && typeof value !== 'string' && value !== undefined)) return undefined;
    }
    key += `\u0000${options.sensitive}\u0000${options.strict}\u0000${options.end}\u0000${options.trailing}\u0000${options.delimiter}`;
  }
  return key;
}

/** Makes `pathToRegexp(path, options)` return the same compiled result for the same string path and options. */
export function rememberRouteRegexps(): void {
  if (installed) return;
  installed = true;
  const compile: Compile = pathToRegexpModule.pathToRegexp;
  const cache = new Map<string, ReturnType<Compile>>();
  const remembering = ((path, options) => {
    const key = keyOf(path, options as Record<string, unknown> | undefined);
    if (key === undefined) return compile(path, options);
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
