import type { OpenApiDocument } from './document';

/**
 * The copy of the contract express-openapi-validator is given (it validates requests only). As it
 * starts, it walks the whole document it gets several times (reference bundling, its own schema
 * check, preprocessing of every component schema): that was half of the service's start-up. The
 * copy keeps only what request validation reads; what is left out changes no verdict.
 */

type Node = Record<string, unknown>;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * Request validation: operations without their responses (and callbacks), no `webhooks:` (events we
 * send), no examples, and of `components` only what the remaining operations reach through `$ref`.
 * Mutates and returns `copy`.
 */
export function forRequestValidation(copy: OpenApiDocument): OpenApiDocument {
  for (const item of Object.values(copy.paths)) {
    for (const method of METHODS) {
      const op = item[method] as Node | undefined;
      if (!op) continue;
      delete op.responses;
      delete op.callbacks;
    }
  }
  delete copy.webhooks;
  stripExamples(copy);
  allowReservedInQueries(copy);
  const components = copy.components as Record<string, Node> | undefined;
  if (components) {
    const reached = reachableRefs({ paths: copy.paths, security: copy.security }, components);
    for (const [kind, entries] of Object.entries(components)) {
      // Security schemes are named by `security`, not referenced.
      if (kind === 'securitySchemes') continue;
      for (const name of Object.keys(entries)) if (!reached.has(`${kind}/${name}`)) delete entries[name];
    }
  }
  return copy;
}

/**
 * Every query parameter as `allowReserved: true` for the validator, which otherwise refuses the
 * sub-delims and `:` that RFC 3986 allows in a query (`name=a,b`, `a:b`, `O'Brien`) and the `+`
 * that form encoding, URLSearchParams and generated clients write for a space; the query parser
 * has already decoded them (`+` as a space), and the schema still decides what is valid.
 */
function allowReservedInQueries(copy: OpenApiDocument): void {
  const mark = (p: Node) => {
    if (p.in === 'query') p.allowReserved = true;
  };
  const components = copy.components as Record<string, Record<string, Node>> | undefined;
  for (const p of Object.values(components?.parameters ?? {})) mark(p);
  for (const item of Object.values(copy.paths) as Node[]) {
    for (const p of (item.parameters ?? []) as Node[]) mark(p);
    for (const method of METHODS) for (const p of ((item[method] as Node | undefined)?.parameters ?? []) as Node[]) mark(p);
  }
}

/**
 * Removes `example` and `examples` everywhere but as property names (the keys of a schema's
 * `properties` or `patternProperties`).
 */
function stripExamples(node: unknown, names = false): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) return node.forEach((item) => stripExamples(item));
  const obj = node as Node;
  if (!names) {
    delete obj.example;
    delete obj.examples;
  }
  for (const [key, value] of Object.entries(obj)) stripExamples(value, !names && (key === 'properties' || key === 'patternProperties'));
}

/** `kind/name` of every component reachable from `roots` through local `$ref`s, transitively. */
function reachableRefs(roots: unknown, components: Record<string, Node>): Set<string> {
  const seen = new Set<string>();
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    for (const [key, value] of Object.entries(node as Node)) {
      if (key === '$ref' && typeof value === 'string') follow(value);
      else visit(value);
    }
  };
  const follow = (ref: string): void => {
    const m = /^#\/components\/([^/]+)\/([^/]+)/.exec(ref);
    if (!m) return;
    const name = decodePointer(m[2]);
    const key = `${m[1]}/${name}`;
    if (seen.has(key)) return;
    seen.add(key);
    visit(components[m[1]]?.[name]);
  };
  visit(roots);
  return seen;
}

const decodePointer = (token: string) => decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~');
