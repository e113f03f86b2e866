import assert from 'node:assert/strict';
import express from 'express';
import { loadSpec, type OpenApiDocument } from '../../src/contract/document';
import { createContractValidators, validatorsReady } from '../../src/pipeline/steps/validate';
import { forRequestValidation } from '../../src/contract/forValidation';
import { withHeadOperations } from '../../src/http/head';

/** The contract with a parameter the OpenAPI schema refuses (`required` must be a boolean). */
function brokenContract(): OpenApiDocument {
  const doc = structuredClone(loadSpec());
  const list = doc.paths['/projects'].get as { parameters: unknown[] };
  list.parameters = [...list.parameters, { name: 'broken', in: 'query', required: 'yes', schema: { type: 'string' } }];
  return doc;
}

/** Runs `fn` with console.error silenced (the validator prints what it refuses). */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const error = console.error;
  console.error = () => undefined;
  try {
    return await fn();
  } finally {
    console.error = error;
  }
}

describe('request validator: what it is given and when it is ready', () => {
  it('ready resolves once the validator has loaded the real contract, with or without its own check of it', async () => {
    for (const checkContract of [true, false]) {
      await validatorsReady(createContractValidators(loadSpec(), false, checkContract), express());
    }
  });

  it('with the check (development, tests) a contract the OpenAPI schema refuses fails ready; without it (production) it is not checked', async () => {
    await assert.rejects(
      quietly(() => validatorsReady(createContractValidators(brokenContract(), false, true), express())),
      /apiDoc was invalid/,
    );
    await validatorsReady(createContractValidators(brokenContract(), false, false), express());
  });

  it('the request copy keeps every operation, parameter and request body, and only the components they reach', () => {
    const full = withHeadOperations(loadSpec());
    const copy = forRequestValidation(withHeadOperations(loadSpec()));
    assert.equal(copy.webhooks, undefined);
    for (const [path, item] of Object.entries(full.paths)) {
      for (const [method, op] of Object.entries(item as Record<string, Record<string, unknown>>)) {
        const kept = (copy.paths[path] as Record<string, Record<string, unknown>>)[method];
        if (typeof op !== 'object' || !('operationId' in op)) continue;
        assert.equal(kept.responses, undefined, `${method} ${path}: no responses`);
        // Query parameters allow reserved characters for the validator (`+`, `,`, `:` as clients send them).
        const reserving = (ps: unknown) => (ps as Record<string, unknown>[] | undefined)?.map((p) => (p.in === 'query' ? { ...p, allowReserved: true } : p));
        assert.deepEqual(stripExamples(kept.parameters), stripExamples(reserving(op.parameters)), `${method} ${path}: parameters`);
        assert.deepEqual(stripExamples(kept.requestBody), stripExamples(op.requestBody), `${method} ${path}: request body`);
      }
    }
    const text = JSON.stringify(copy);
    for (const ref of text.match(/"#\/components\/[^"]+"/g) ?? []) {
      const [, kind, name] = JSON.parse(ref).split('/').slice(1);
      assert.ok((copy.components as Record<string, Record<string, unknown>>)[kind]?.[name], `${ref} is kept`);
    }
    assert.doesNotMatch(text, /"examples?":/, 'no examples');
  });
});

const stripExamples = (node: unknown): unknown => JSON.parse(JSON.stringify(node ?? null, (k, v) => (k === 'example' || k === 'examples' ? undefined : v)));
