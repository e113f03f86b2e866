import assert from 'node:assert/strict';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { loadSpec } from '../../src/contract/document';
import { strictContract } from '../../src/contract/strict';

const doc = loadSpec() as any;
const part = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

/** Every example of the document: where it is, its value, and the JSON pointer of the schema it must match. */
function examples(): { where: string; value: unknown; schema: string }[] {
  const out: { where: string; value: unknown; schema: string }[] = [];
  const fromHolder = (where: string, at: string, h: any) => {
    if (!h || h.$ref) return;
    if ('example' in h && h.schema) out.push({ where, value: h.example, schema: `${at}/schema` });
    for (const value of h.schema?.examples ?? []) out.push({ where: `${where} schema`, value, schema: `${at}/schema` });
    for (const [name, e] of Object.entries<any>(h.examples ?? {})) out.push({ where: `${where} (${name})`, value: e.value, schema: `${at}/schema` });
    for (const [type, media] of Object.entries<any>(h.content ?? {})) fromHolder(`${where} ${type}`, `${at}/content/${part(type)}`, media);
  };
  for (const [name, s] of Object.entries<any>(doc.components.schemas)) {
    for (const value of s.examples ?? []) out.push({ where: `schema ${name}`, value, schema: `/components/schemas/${name}` });
  }
  for (const kind of ['parameters', 'responses', 'requestBodies', 'headers']) {
    for (const [name, h] of Object.entries<any>(doc.components[kind] ?? {})) fromHolder(`${kind} ${name}`, `/components/${kind}/${name}`, h);
  }
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    const at = `/paths/${part(path)}`;
    (item.parameters ?? []).forEach((p: any, i: number) => fromHolder(`${path} parameter ${p.name ?? p.$ref}`, `${at}/parameters/${i}`, p));
    for (const [method, op] of Object.entries<any>(item)) {
      if (method === 'parameters') continue;
      (op.parameters ?? []).forEach((p: any, i: number) => fromHolder(`${op.operationId} parameter ${p.name ?? p.$ref}`, `${at}/${method}/parameters/${i}`, p));
      fromHolder(`${op.operationId} request`, `${at}/${method}/requestBody`, op.requestBody);
      for (const [status, r] of Object.entries<any>(op.responses)) fromHolder(`${op.operationId} ${status}`, `${at}/${method}/responses/${status}`, r);
    }
  }
  return out;
}

describe('contract: examples', () => {
  it('every component schema and every parameter has an example', () => {
    const schemas = Object.entries<any>(doc.components.schemas).filter(([, s]) => !s.examples?.length).map(([n]) => n);
    assert.deepEqual(schemas, [], 'schemas without examples');
    const params = [
      ...Object.entries<any>(doc.components.parameters).map(([n, p]) => [n, p] as const),
      ...Object.values<any>(doc.paths).flatMap((item) =>
        Object.values<any>(item).flatMap((op) => (Array.isArray(op) ? op : (op.parameters ?? [])).filter((p: any) => !p.$ref).map((p: any) => [p.name, p] as const)),
      ),
    ];
    // An optional filter keeps its example in its schema: Swagger UI fills a parameter's own
    // `example` into "Try it out", which would filter or page the caller's real data.
    const schemaExamples = (schema: any) =>
      schema?.examples?.length > 0 || (schema?.$ref && doc.components.schemas[schema.$ref.split('/').pop()]?.examples?.length > 0);
    const without = params.filter(([, p]) => p.example === undefined && !p.examples && !schemaExamples(p.schema));
    assert.deepEqual(without.map(([n]) => n), [], 'parameters without examples');
  });

  it('every example validates against its schema in the strict form (no undeclared property, only known enum values)', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(strictContract(doc), 'contract.json');
    const all = examples();
    assert.ok(all.length > 60, `found ${all.length} examples`);
    const bad = all.flatMap(({ where, value, schema }) => {
      const validate = ajv.compile({ $ref: `contract.json#${schema}` });
      return validate(value) ? [] : [`${where}: ${ajv.errorsText(validate.errors)}`];
    });
    assert.deepEqual(bad, []);
  });
});
