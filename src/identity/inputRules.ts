import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { loadSpec, SPEC_PATH, type OpenApiDocument } from '../contract/document';
import { inWords } from '../contract/textRules';

/**
 * What the operator CLI accepts, checked by the contract's own schemas (the same ajv and formats
 * as the request validator), so it cannot create what the API would refuse to read back or log in
 * with: an email that login's schema refuses, a workspace name longer than `Workspace.name`.
 */
const FIELDS = {
  email: '#/components/schemas/LoginRequest/properties/email',
  workspaceName: '#/components/schemas/Workspace/properties/name',
  // Login's schema: a password set here that login would refuse could never be used.
  password: '#/components/schemas/LoginRequest/properties/password',
} as const;

export type Field = keyof typeof FIELDS;

export class InvalidInputError extends Error {
  constructor(readonly field: Field | 'role', problem: string) {
    super(`${field === 'workspaceName' ? 'workspace name' : field} ${problem}`);
    this.name = 'InvalidInputError';
  }
}

function resolvePointer(doc: OpenApiDocument, ref: string): unknown {
  return ref
    .slice(2)
    .split('/')
    .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);
}

export type InputRules = (field: Field, value: string) => void;

/** Compiles the field rules from the contract; the returned check throws InvalidInputError. */
export function createInputRules(doc: OpenApiDocument = loadSpec(SPEC_PATH)): InputRules {
  const ajv = addFormats(new Ajv({ allErrors: false, strict: false }), { mode: 'full' });
  const validators = new Map<Field, ValidateFunction>();
  for (const [field, ref] of Object.entries(FIELDS) as [Field, string][]) {
    const schema = resolvePointer(doc, ref);
    if (!schema || typeof schema !== 'object') throw new Error(`openapi.yaml has no schema at ${ref}`);
    validators.set(field, ajv.compile(schema));
  }
  return (field, value) => {
    if (!value.isWellFormed()) throw new InvalidInputError(field, 'must be well-formed Unicode');
    const validate = validators.get(field)!;
    if (!validate(value)) throw new InvalidInputError(field, inWords(validate.errors?.[0]?.message ?? 'is not valid'));
  };
}
