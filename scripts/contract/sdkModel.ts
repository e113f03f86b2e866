// What the SDK's generated code needs to know of each operation, read from the contract alone:
// its `x-sdk` name, path parameters in path order, query, body, the headers the SDK sets for the
// caller (Idempotency-Key, If-Match), whether it is anonymous (`security: []`), and what its
// success answer holds (nothing, a cursor page, an enveloped payload, with or without an ETag).
// sdkResources.ts and sdkOperations.ts render from this; neither reads the contract itself.

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

export type Result =
  | { kind: 'void' }
  /** A cursor list: `Paginator<item>`. */
  | { kind: 'page'; item: string }
  /** `data` of the envelope, with the answer's ETag when its headers declare one. */
  | { kind: 'data'; type: string; etag: boolean }
  /** A body without an envelope, whole. */
  | { kind: 'whole'; type: string };

export interface SdkOperation {
  operationId: string;
  resource: string;
  method: string;
  verb: string;
  path: string;
  summary: string | undefined;
  /** Path parameters in the order the path names them, with their TypeScript types. */
  /** `example`: the contract's (for tests that call every method without a fixture of their own). */
  pathParams: { name: string; type: string; example: unknown }[];
  query: { required: boolean } | undefined;
  body: { type: string; required: boolean; example: unknown } | undefined;
  idempotencyKey: boolean;
  ifMatch: boolean;
  anonymous: boolean;
  result: Result;
}

type Node = Record<string, any>;

/** The node a local `$ref` points to (followed until it is no reference), or the node itself. */
function deref(doc: Node, node: Node | undefined): Node | undefined {
  let current = node;
  for (let hops = 0; current && typeof current.$ref === 'string'; hops++) {
    if (hops > 20 || !current.$ref.startsWith('#/')) throw new Error(`sdk: cannot follow $ref ${current.$ref}`);
    current = current.$ref
      .slice(2)
      .split('/')
      .reduce<Node | undefined>((at, key: string) => at?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
  }
  return current;
}

/** `Schemas['X']` for a reference to a named schema, else `fallback` (a type indexed from `operations`). */
function typeOf(schema: Node | undefined, fallback: string): string {
  const named = typeof schema?.$ref === 'string' && /^#\/components\/schemas\/([\w.-]+)$/.exec(schema.$ref);
  return named ? `Schemas['${named[1]}']` : fallback;
}

/** Header parameters the SDK fills in itself, by their (case-insensitive) name in the contract. */
const IDEMPOTENCY_KEY = 'idempotency-key';
const IF_MATCH = 'if-match';
// If-None-Match asks for a `304` without a body, which no method's return type could hold: the
// SDK does not offer it (a caller can send it in `headers`). Any other header parameter is an
// error below, so that a new one gets a decision rather than silently no argument.
const NOT_OFFERED = new Set(['if-none-match']);

function result(doc: Node, op: Node, where: string, hasCursor: boolean): Result {
  const statuses = Object.keys(op.responses ?? {}).filter((s) => /^2\d\d$/.test(s)).sort();
  if (!statuses.length) throw new Error(`sdk: ${where} has no 2xx response`);
  const status = statuses[0];
  const response = deref(doc, op.responses[status])!;
  if (!response.content) return { kind: 'void' };
  const content = response.content['application/json'];
  if (!content) throw new Error(`sdk: ${where}: the SDK reads only application/json answers (${status})`);
  const answer = `operations['${op.operationId}']['responses'][${status}]['content']['application/json']`;
  const container = typeOf(content.schema, answer);
  const schema = deref(doc, content.schema) ?? {};
  const data = schema.properties?.data;
  if (!data) return { kind: 'whole', type: container };
  const meta = deref(doc, schema.properties.meta);
  if (meta?.properties?.next_cursor && deref(doc, data)?.type === 'array') {
    if (!hasCursor) throw new Error(`sdk: ${where} answers pages but takes no \`cursor\` query parameter`);
    return { kind: 'page', item: typeOf(deref(doc, data)!.items, `${container}['data'][number]`) };
  }
  return { kind: 'data', type: typeOf(data, `${container}['data']`), etag: Object.keys(response.headers ?? {}).some((h) => h.toLowerCase() === 'etag') };
}

function operation(doc: Node, path: string, item: Node, verb: string, op: Node): SdkOperation {
  const where = `${verb.toUpperCase()} ${path} (${op.operationId})`;
  const sdk = op['x-sdk'];
  if (!sdk || !/^[a-z][A-Za-z0-9]*$/.test(sdk.resource ?? '') || !/^[a-z][A-Za-z0-9]*$/.test(sdk.method ?? '')) {
    throw new Error(`sdk: ${where} needs \`x-sdk: {resource: camelCase, method: camelCase}\``);
  }
  // Operation parameters override the path item's of the same name and place (OpenAPI's rule).
  const params = new Map<string, Node>();
  for (const p of [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p: Node) => deref(doc, p)!)) params.set(`${p.in}:${p.name}`, p);
  const pathParams = [...path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => {
    const p = params.get(`path:${name}`);
    if (!p) throw new Error(`sdk: ${where} does not declare its path parameter ${name}`);
    const type = deref(doc, p.schema)?.type === 'string' ? 'string' : `operations['${op.operationId}']['parameters']['path']['${name}']`;
    return { name, type, example: exampleOf(doc, p) };
  });
  const query = [...params.values()].filter((p) => p.in === 'query');
  const headers = [...params.values()].filter((p) => p.in === 'header').map((p) => String(p.name).toLowerCase());
  for (const h of headers) {
    if (h !== IDEMPOTENCY_KEY && h !== IF_MATCH && !NOT_OFFERED.has(h)) throw new Error(`sdk: ${where}: no SDK option sends the header parameter ${h}`);
  }
  const requestBody = deref(doc, op.requestBody);
  const json = requestBody?.content?.['application/json'];
  if (requestBody && !json) throw new Error(`sdk: ${where}: the SDK sends only application/json bodies`);
  return {
    operationId: op.operationId,
    resource: sdk.resource,
    method: sdk.method,
    verb: verb.toUpperCase(),
    path,
    summary: op.summary,
    pathParams,
    query: query.length ? { required: query.some((p) => p.required) } : undefined,
    body: json && {
      type: typeOf(json.schema, `NonNullable<operations['${op.operationId}']['requestBody']>['content']['application/json']`),
      required: requestBody!.required === true,
      example: exampleOf(doc, json),
    },
    idempotencyKey: headers.includes(IDEMPOTENCY_KEY),
    ifMatch: headers.includes(IF_MATCH),
    anonymous: Array.isArray(op.security) && op.security.length === 0,
    result: result(doc, op, where, query.some((p) => p.name === 'cursor')),
  };
}

/** A parameter's or media type's example: its own `example`, its first named one, or its schema's. */
function exampleOf(doc: Node, holder: Node): unknown {
  if ('example' in holder) return holder.example;
  const named = Object.values<Node>(holder.examples ?? {})[0];
  if (named) return deref(doc, named)?.value;
  const schema = deref(doc, holder.schema);
  return schema?.examples?.[0] ?? schema?.example;
}

/** Every operation of the parsed contract `doc`, in the contract's order; throws on a duplicate SDK name. */
export function sdkOperations(doc: Node): SdkOperation[] {
  const out: SdkOperation[] = [];
  for (const [path, item] of Object.entries<Node>(doc.paths ?? {})) {
    // In the order the file lists them, as the README's table does.
    for (const verb of Object.keys(item).filter((k) => (HTTP_METHODS as readonly string[]).includes(k))) out.push(operation(doc, path, item, verb, item[verb]));
  }
  const seen = new Map<string, string>();
  for (const op of out) {
    const name = `${op.resource}.${op.method}`;
    if (seen.has(name)) throw new Error(`sdk: ${op.operationId} and ${seen.get(name)} are both client.${name}`);
    seen.set(name, op.operationId);
  }
  return out;
}

/** The resources in the order their first operation appears in the contract. */
export function resourcesOf(ops: SdkOperation[]): { name: string; ops: SdkOperation[] }[] {
  const groups = new Map<string, SdkOperation[]>();
  for (const op of ops) groups.set(op.resource, [...(groups.get(op.resource) ?? []), op]);
  return [...groups].map(([name, members]) => ({ name, ops: members }));
}
