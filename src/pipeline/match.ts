import type { OperationInfo } from '../http/spec';

/** The operation a request is for, or the methods its path allows (405), or neither (404). */
export type Match = { op: OperationInfo; allow?: undefined } | { op?: undefined; allow: string } | undefined;

/**
 * Matches a request to its contract operation once, for every step after it. Case-insensitive
 * with an optional trailing slash, like Express routing, so `/V1/Projects` is limited and metered
 * too; HEAD is the GET of the same path (RFC 9110).
 */
export function operationTable(ops: OperationInfo[]): (method: string, path: string) => Match {
  const byPattern = new Map<string, { pattern: RegExp; methods: Map<string, OperationInfo> }>();
  for (const op of ops) {
    const source = routeSource(op.route);
    let entry = byPattern.get(source);
    if (!entry) byPattern.set(source, (entry = { pattern: new RegExp(source, 'i'), methods: new Map() }));
    entry.methods.set(op.method.toUpperCase(), op);
  }
  const table = [...byPattern.values()].map((e) => ({ ...e, allow: allowed(e.methods) }));
  return (method, path) => {
    const wanted = method === 'HEAD' ? 'GET' : method;
    let allow: string | undefined;
    for (const entry of table) {
      if (!entry.pattern.test(path)) continue;
      const op = entry.methods.get(wanted);
      if (op) return { op };
      allow ??= entry.allow;
    }
    return allow === undefined ? undefined : { allow };
  };
}

/** The pattern a route's requests match: any segment for a parameter, an optional trailing slash. */
export const routeSource = (route: string) => '^' + route.replace(/:[^/]+/g, '[^/]+') + '/?$';

const allowed = (methods: Map<string, OperationInfo>) => {
  const names = [...methods.keys()];
  if (methods.has('GET')) names.push('HEAD');
  return names.sort().join(', ');
};
