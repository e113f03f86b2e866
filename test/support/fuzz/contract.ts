import { readSpec, operationsOf } from '../specCopy';

/** A JSON Schema of the contract with every `$ref` replaced by what it points at. */
export type Schema = Record<string, any>;

export interface Param {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: Schema;
  /** The value may hold reserved characters unencoded (`allowReserved`). */
  reserved: boolean;
}

/** What a request to one operation can carry, read from openapi.yaml. */
export interface FuzzOperation {
  operationId: string;
  method: string;
  /** Spec path, `/projects/{project_id}`. */
  path: string;
  params: Param[];
  body?: { schema: Schema; required: boolean };
}

/** Replaces every `#/...` reference under `node` with a (shared, read-only) copy of its target. */
export function dereference(doc: any, node: unknown, seen = new Map<string, unknown>()): any {
  if (Array.isArray(node)) return node.map((n) => dereference(doc, n, seen));
  if (!node || typeof node !== 'object') return node;
  const ref = (node as { $ref?: unknown }).$ref;
  if (typeof ref === 'string') {
    if (!seen.has(ref)) {
      seen.set(ref, {}); // a recursive schema resolves to an empty (any) schema, not a loop
      const target = ref.slice(2).split('/').reduce((at: any, part) => at?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
      if (target === undefined) throw new Error(`openapi.yaml: unresolved $ref ${ref}`);
      seen.set(ref, dereference(doc, target, seen));
    }
    return seen.get(ref);
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, dereference(doc, v, seen)]));
}

/** Every operation of openapi.yaml, its parameters (path-level ones included) and body schema resolved. */
export function fuzzOperations(doc: any = readSpec()): FuzzOperation[] {
  return operationsOf(doc).map(({ path, method, op }) => {
    const declared = [...(doc.paths[path].parameters ?? []), ...(op.parameters ?? [])].map((p) => dereference(doc, p));
    const params: Param[] = declared.map((p) => ({
      name: p.name,
      in: p.in,
      required: p.required === true,
      schema: p.schema ?? {},
      reserved: p.allowReserved === true,
    }));
    const content = op.requestBody && dereference(doc, op.requestBody);
    const schema = content?.content?.['application/json']?.schema;
    return {
      operationId: op.operationId,
      method,
      path,
      params,
      body: schema ? { schema, required: content.required === true } : undefined,
    };
  });
}
