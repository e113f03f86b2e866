// Which operations a change inside a component reaches. `redocly diff` reports such a change once,
// at the first operation it meets it through; the changelog names them all.
import { isDeepStrictEqual } from 'node:util';
import type { Change } from './diff';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => v !== null && typeof v === 'object';
const decode = (part: string) => part.replace(/~1/g, '/').replace(/~0/g, '~');

function at(doc: unknown, pointer: string): unknown {
  const parts = pointer.replace(/^#\/?/, '').split('/').filter(Boolean);
  return parts.reduce<unknown>((node, part) => (isNode(node) ? node[decode(part)] : undefined), doc);
}

function refsIn(node: unknown, into: string[] = []): string[] {
  if (Array.isArray(node)) for (const child of node) refsIn(child, into);
  else if (isNode(node)) for (const [key, child] of Object.entries(node)) key === '$ref' && typeof child === 'string' ? into.push(child) : refsIn(child, into);
  return into;
}

/** Every operation's pointer (`#/paths/~1projects/get`, `#/webhooks/project.created/post`) and the $refs it reaches, transitively. */
export function operationRefs(doc: unknown): Map<string, Set<string>> {
  const closure = new Map<string, string[]>();
  const follow = (refs: string[], seen: Set<string>): Set<string> => {
    for (const ref of refs) {
      if (seen.has(ref)) continue;
      seen.add(ref);
      if (!closure.has(ref)) closure.set(ref, refsIn(at(doc, ref)));
      follow(closure.get(ref)!, seen);
    }
    return seen;
  };
  const result = new Map<string, Set<string>>();
  for (const section of ['paths', 'webhooks']) {
    const items = isNode(doc) ? doc[section] : undefined;
    for (const [name, raw] of Object.entries(isNode(items) ? items : {})) {
      const item = isNode(raw) && typeof raw.$ref === 'string' ? at(doc, raw.$ref) : raw;
      if (!isNode(item)) continue;
      for (const method of METHODS.filter((m) => isNode(item[m]))) {
        const pointer = `#/${section}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}`;
        result.set(pointer, follow([...refsIn(item[method]), ...refsIn(item.parameters)], new Set()));
      }
    }
  }
  return result;
}

/** The operation a document pointer lies in (`#/paths/~1projects/get/responses/...` -> `#/paths/~1projects/get`). */
export function operationOf(pointer: string): string | undefined {
  const match = /^#\/(?:paths|webhooks)\/[^/]+\/([^/]+)/.exec(pointer);
  return match && METHODS.includes(match[1]) ? match[0] : undefined;
}

/** The operations that reach `pointer`, a place inside a component: those with a $ref to it, or to what holds it or lies in it. */
export function reaching(index: Map<string, Set<string>>, pointer: string): string[] {
  const hits = (ref: string) => ref === pointer || pointer.startsWith(`${ref}/`) || ref.startsWith(`${pointer}/`);
  return [...index].filter(([, refs]) => [...refs].some(hits)).map(([operation]) => operation);
}

/** `GET /projects`, or `webhook project.created`; operations by path then method, webhooks last. */
export function operationNames(pointers: Iterable<string>): string[] {
  const parsed = [...new Set(pointers)].map((p) => {
    const [section, name, method] = p.replace(/^#\//, '').split('/').map(decode);
    return { webhook: section === 'webhooks', name, method };
  });
  parsed.sort((a, b) => Number(a.webhook) - Number(b.webhook) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) || METHODS.indexOf(a.method) - METHODS.indexOf(b.method));
  return parsed.map((o) => (o.webhook ? `webhook ${o.name}` : `${o.method.toUpperCase()} ${o.name}`));
}

/** Sets `component` and `reaches` on a change inside a component (looked up in the revision, or in the base for a removal). */
export function locator(base: unknown, revision: unknown): (change: Change) => Change {
  const index = { base: operationRefs(base), revision: operationRefs(revision) };
  return (change) => {
    const [side, other] = change.revision ? (['revision', 'base'] as const) : (['base', 'revision'] as const);
    const pointer = change[side]?.pointer;
    // A $ref newly made to a component that did not change is a change of that operation only.
    if (!pointer?.startsWith('#/components/') || isDeepStrictEqual(at(base, pointer), at(revision, pointer))) return change;
    // An operation that took the component in one version only (getProject's 200 no longer ProjectOk) had its own change.
    const both = new Set(reaching(index[other], pointer.split('/').slice(0, 4).join('/')));
    const own = operationOf(change.path);
    const reaches = reaching(index[side], pointer).filter((o) => both.has(o));
    return { ...change, component: pointer, reaches: [...new Set(own ? [...reaches, own] : reaches)] };
  };
}
