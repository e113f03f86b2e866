import type { OpenApiDocument } from './document';

type Schema = Record<string, unknown>;

const isObject = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);
const componentRef = (s: Schema) =>
  typeof s.$ref === 'string' && s.$ref.startsWith('#/components/schemas/') ? s.$ref.slice(21) : undefined;

/** The open-enum convention of the contract: `anyOf: [<closed enum or $ref to one>, {type: string}]`. */
function closedBranchOfOpenEnum(s: Schema): Schema | undefined {
  const branches = s.anyOf;
  if (!Array.isArray(branches) || branches.length !== 2) return undefined;
  const open = branches.findIndex((b) => isObject(b) && b.type === 'string' && !('enum' in b) && !('$ref' in b));
  const closed = branches[1 - open] as Schema | undefined;
  if (open < 0 || !isObject(closed) || !('enum' in closed || '$ref' in closed)) return undefined;
  return closed;
}

/** Calls `visit` on every schema reachable from `s` (itself included), telling whether it is an `allOf` member. */
function walkSchema(s: unknown, visit: (s: Schema, allOfMember: boolean) => void, allOfMember = false): void {
  if (!isObject(s)) return;
  visit(s, allOfMember);
  for (const key of ['properties', 'patternProperties', '$defs']) {
    if (isObject(s[key])) for (const sub of Object.values(s[key])) walkSchema(sub, visit);
  }
  for (const key of ['items', 'additionalProperties', 'unevaluatedProperties', 'not', 'contains']) walkSchema(s[key], visit);
  for (const key of ['anyOf', 'oneOf', 'prefixItems']) if (Array.isArray(s[key])) for (const sub of s[key]) walkSchema(sub, visit);
  if (Array.isArray(s.allOf)) for (const sub of s.allOf) walkSchema(sub, visit, true);
}

/** Every schema position of an OpenAPI 3.1 document: components, parameters, bodies, responses, headers. */
function eachSchema(doc: OpenApiDocument, visit: (s: Schema, allOfMember: boolean) => void): void {
  const components = (doc.components ?? {}) as Record<string, Record<string, Schema> | undefined>;
  for (const s of Object.values(components.schemas ?? {})) walkSchema(s, visit);
  const holders: unknown[] = [
    ...Object.values(components.parameters ?? {}),
    ...Object.values(components.headers ?? {}),
    ...Object.values(components.responses ?? {}),
    ...Object.values(components.requestBodies ?? {}),
  ];
  for (const item of Object.values(doc.paths)) {
    for (const op of Object.values(item)) {
      if (Array.isArray(op)) holders.push(...op);
      else if (isObject(op)) holders.push(...((op.parameters as unknown[]) ?? []), op.requestBody, ...Object.values((op.responses as Schema) ?? {}));
    }
  }
  for (const h of holders) {
    if (!isObject(h)) continue;
    walkSchema(h.schema, visit);
    for (const media of Object.values((h.content as Record<string, Schema>) ?? {})) walkSchema(media?.schema, visit);
    for (const header of Object.values((h.headers as Record<string, Schema>) ?? {})) if (isObject(header)) walkSchema(header.schema, visit);
  }
}

/**
 * The contract as the test suite holds the implementation to it: every object schema refuses
 * properties it does not declare, and every open enum is closed to its known values.
 * An `allOf` member cannot be closed on its own (it would refuse its siblings' properties), so
 * each `$ref` member is replaced by an open copy of its schema and the schema holding the `allOf`
 * is closed with `unevaluatedProperties`, which sees every member's properties. The referenced
 * schema itself is closed where it is used alone. Schemas that say which extra properties they
 * allow keep their own rule.
 */
export function strictContract(published: OpenApiDocument): OpenApiDocument {
  const doc = structuredClone(published);
  const originals = ((published.components as { schemas?: Record<string, Schema> } | undefined)?.schemas ?? {}) as Record<string, Schema>;
  eachSchema(doc, (s, allOfMember) => {
    if (Array.isArray(s.allOf)) {
      s.allOf = s.allOf.map((m) => {
        const name = isObject(m) ? componentRef(m) : undefined;
        return name && originals[name] ? structuredClone(originals[name]) : m;
      });
    }
    const closed = closedBranchOfOpenEnum(s);
    if (closed) s.anyOf = [closed];
    const isObjectSchema = s.type === 'object' || isObject(s.properties) || Array.isArray(s.allOf);
    if (isObjectSchema && !allOfMember && !('additionalProperties' in s) && !('unevaluatedProperties' in s)) {
      s.unevaluatedProperties = false;
    }
  });
  return doc;
}
