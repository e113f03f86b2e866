import assert from 'node:assert/strict';
import { detailCodeValues } from '../../generated/openapi';
import { loadSpec } from '../../src/contract/document';
import { forRequestValidation } from '../../src/contract/forValidation';
import { detailCodeOf } from '../../src/http/errorEnvelope';
import { isDetailCode } from '../../src/errors';
import { makeTestApp, signedIn, type TestApp } from '../helpers';

type Node = Record<string, any>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The JSON Schema (2020-12) keywords Ajv reports an error under; the others (`properties`,
 * `items`, `$ref`, `description`...) only lead to the keywords below.
 */
const ASSERTIONS = new Set([
  'type', 'enum', 'const', 'format', 'pattern', 'minLength', 'maxLength', 'minimum', 'maximum', 'exclusiveMinimum',
  'exclusiveMaximum', 'multipleOf', 'minItems', 'maxItems', 'uniqueItems', 'contains', 'minContains', 'maxContains',
  'minProperties', 'maxProperties', 'required', 'dependentRequired', 'additionalProperties', 'unevaluatedProperties',
  'unevaluatedItems', 'propertyNames', 'anyOf', 'oneOf', 'not', 'if', 'dependentSchemas', 'discriminator',
]);

/** The assertion keywords of `schema` and every schema inside it. */
function assertionsOf(schema: unknown, found: Set<string>): void {
  if (!isNode(schema)) return;
  for (const key of Object.keys(schema)) if (ASSERTIONS.has(key)) found.add(key);
  for (const key of ['properties', 'patternProperties', '$defs', 'dependentSchemas']) {
    if (isNode(schema[key])) for (const sub of Object.values(schema[key])) assertionsOf(sub, found);
  }
  for (const key of ['items', 'additionalProperties', 'unevaluatedProperties', 'not', 'contains', 'if', 'then', 'else', 'propertyNames']) {
    assertionsOf(schema[key], found);
  }
  for (const key of ['anyOf', 'oneOf', 'allOf', 'prefixItems']) if (Array.isArray(schema[key])) for (const sub of schema[key]) assertionsOf(sub, found);
}

/** Every keyword request validation can report: the copy of the contract the validator checks requests with. */
function requestKeywords(): Set<string> {
  const doc = forRequestValidation(loadSpec()) as Node;
  const found = new Set<string>();
  const holder = (h: unknown) => {
    if (!isNode(h)) return;
    if (h.required === true) found.add('required');
    assertionsOf(h.schema, found);
    for (const media of Object.values<Node>(h.content ?? {})) assertionsOf(media?.schema, found);
  };
  for (const s of Object.values(doc.components?.schemas ?? {})) assertionsOf(s, found);
  for (const kind of ['parameters', 'requestBodies', 'headers']) for (const h of Object.values(doc.components?.[kind] ?? {})) holder(h);
  for (const item of Object.values<Node>(doc.paths)) {
    for (const p of item.parameters ?? []) holder(p);
    for (const op of Object.values(item)) {
      if (!isNode(op)) continue;
      for (const p of op.parameters ?? []) holder(p);
      holder(op.requestBody);
    }
  }
  return found;
}

describe('contract: detail codes (DetailCode)', () => {
  const schemas = (loadSpec() as Node).components.schemas;

  it('every keyword request validation can report is a DetailCode, so none is sent as `invalid`', () => {
    const keywords = requestKeywords();
    assert.ok(keywords.has('maxLength') && keywords.has('additionalProperties'), 'the walk finds the request schemas');
    assert.deepEqual([...keywords].filter((k) => !isDetailCode(k)), []);
  });

  it('every DetailCode has a description in x-enumDescriptions, and only those', () => {
    assert.deepEqual(Object.keys(schemas.DetailCode['x-enumDescriptions']).sort(), [...detailCodeValues].sort());
  });

  it('ErrorDetail.code is the open enum of DetailCode', () => {
    assert.deepEqual(schemas.ErrorDetail.properties.code.anyOf, [{ $ref: '#/components/schemas/DetailCode' }, { type: 'string', maxLength: 64 }]);
  });

  it("the validator's error codes become their keyword; no code or an unlisted keyword becomes `invalid`", () => {
    assert.equal(detailCodeOf('maxLength.openapi.validation'), 'maxLength');
    assert.equal(detailCodeOf('additionalProperties.openapi.validation'), 'additionalProperties');
    assert.equal(detailCodeOf(undefined), 'invalid');
    assert.equal(detailCodeOf('x-eov-serdes.openapi.validation'), 'invalid');
  });

  describe('what the service sends', () => {
    let t: TestApp;
    let auth: string;

    beforeEach(async () => {
      t = makeTestApp();
      ({ auth } = await signedIn(t));
    });

    it('createProject: each rule a body breaks is reported under its keyword (the strict contract check closes the enum)', async () => {
      for (const [body, code] of [
        [{ name: 'x'.repeat(500) }, 'maxLength'],
        [{ name: 7 }, 'type'],
        [{ name: 'x', extra: true }, 'additionalProperties'],
        [{}, 'required'],
      ] as const) {
        const res = await t.http.post('/v1/projects').set('Authorization', auth).send(body);
        assert.equal(res.status, 400);
        assert.deepEqual(res.body.error.details.map((d: { code: string }) => d.code), [code], JSON.stringify(body));
      }
    });

    it('listProjects: an undeclared query parameter is `invalid`', async () => {
      const res = await t.http.get('/v1/projects?colour=red').set('Authorization', auth);
      assert.equal(res.status, 400);
      assert.deepEqual(res.body.error.details.map((d: { code: string; pointer: string }) => [d.pointer, d.code]), [['/query/colour', 'invalid']]);
    });
  });
});
