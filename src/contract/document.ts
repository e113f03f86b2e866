import { readFileSync } from 'node:fs';
import { fromRoot } from '../paths';
import { snapshotOf } from './snapshot';
import { listOperations } from './operations';

export const SPEC_PATH = fromRoot('openapi.yaml');
export const API_PREFIX = '/v1';

export type OpenApiDocument = {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  components?: Record<string, unknown>;
  [key: string]: unknown;
};

export class SpecError extends Error {
  constructor(message: string) {
    super(`openapi.yaml: ${message}`);
    this.name = 'SpecError';
  }
}

// Required on first use: with the build's snapshot, the service never loads the YAML parser.
const parseYaml = (text: string): unknown => (require('yaml') as typeof import('yaml')).parse(text);

/** Parses the contract; throws SpecError for anything that would only fail at request time. */
export function loadSpec(path = SPEC_PATH): OpenApiDocument {
  let doc: OpenApiDocument;
  try {
    const text = readFileSync(path, 'utf8');
    doc = (snapshotOf(text) ?? parseYaml(text)) as OpenApiDocument;
  } catch (err) {
    throw new SpecError(`cannot be read or parsed: ${(err as Error).message}`);
  }
  if (!doc || typeof doc !== 'object' || !/^3\.1\.\d+$/.test(String(doc.openapi))) {
    throw new SpecError('is not an OpenAPI 3.1 document');
  }
  if (!doc.paths || typeof doc.paths !== 'object') throw new SpecError('has no paths');
  listOperations(doc);
  return doc;
}

