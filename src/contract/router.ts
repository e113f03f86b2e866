import type { OperationInfo } from './operations';

/** The operation a request is for, or the methods its path allows (405), or neither (404). */
export type Match<O extends OperationInfo = OperationInfo> = { op: O; allow?: undefined } | { op?: undefined; allow: string } | undefined;

export interface Router<O extends OperationInfo = OperationInfo> {
  /**
   * The operation of a request. Case-insensitive with an optional trailing slash, like Express
   * routing, so `/V1/Projects` is limited and metered too; HEAD is the GET of the same path (RFC 9110).
   */
  match(method: string, path: string): Match<O>;
  /** Every operation of every path pattern the path matches (normally one): CORS preflights and 405s answer for them. */
  operationsAt(path: string): O[];
}

/** The one router of the contract's operations: the entry, CORS and the tests' contract check use it alike. */
export function createRouter<O extends OperationInfo>(ops: O[]): Router<O> {
  const byPattern = new Map<string, { pattern: RegExp; methods: Map<string, O>; parameters: number }>();
  for (const op of ops) {
    const source = routeSource(op.route);
    let entry = byPattern.get(source);
    const parameters = op.route.split('/').filter((segment) => segment.startsWith(':')).length;
    if (!entry) byPattern.set(source, (entry = { pattern: new RegExp(source, 'i'), methods: new Map(), parameters }));
    entry.methods.set(op.method.toUpperCase(), op);
  }
  // Concrete paths before templated ones, as OpenAPI matches them: `/invitations/accept` is not an
  // `/invitations/{invitation_id}`, so its 405 names its own methods. (Stable: otherwise the contract's order.)
  const table = [...byPattern.values()]
    .map((e) => ({ ...e, allow: allowed(e.methods), all: [...e.methods.values()] }))
    .sort((a, b) => a.parameters - b.parameters);
  return {
    match(method, path) {
      const wanted = method === 'HEAD' ? 'GET' : method;
      let allow: string | undefined;
      for (const entry of table) {
        if (!entry.pattern.test(path)) continue;
        const op = entry.methods.get(wanted);
        if (op) return { op };
        allow ??= entry.allow;
      }
      return allow === undefined ? undefined : { allow };
    },
    operationsAt: (path) => table.flatMap((entry) => (entry.pattern.test(path) ? entry.all : [])),
  };
}

/** The pattern a route's requests match: any segment for a parameter, an optional trailing slash. */
const routeSource = (route: string) => '^' + route.replace(/:[^/]+/g, '[^/]+') + '/?$';

const allowed = (methods: Map<string, unknown>) => {
  const names = [...methods.keys()];
  if (methods.has('GET')) names.push('HEAD');
  return names.sort().join(', ');
};
