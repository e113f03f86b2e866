import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';

/**
 * Checks a response against what the contract documents for an operation and status, on its own
 * (independent of the app's response validation): the status must be documented on the operation,
 * and the body must validate against the documented JSON schema (or be empty if none).
 */
export function contractResponses(doc: any) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(doc, 'spec');
  const compiled = new Map<string, ValidateFunction>();
  const pointer = (segments: string[]) =>
    'spec#/' + segments.map((s) => encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');

  /** The response object documented for (path, method, status), with the JSON pointer of its schema. */
  function documented(path: string, method: string, status: number) {
    const response = doc.paths[path]?.[method]?.responses?.[String(status)];
    if (!response) return undefined;
    const ref = /^#\/components\/responses\/(.+)$/.exec(response.$ref ?? '')?.[1];
    const resolved = ref ? doc.components.responses[ref] : response;
    const base = ref ? ['components', 'responses', ref] : ['paths', path, method, 'responses', String(status)];
    const schema = resolved.content?.['application/json']?.schema;
    return { resolved, schemaPointer: schema ? pointer([...base, 'content', 'application/json', 'schema']) : undefined };
  }

  /** Problems with this response, empty when it is documented and its body validates. */
  function problems(path: string, method: string, res: { status: number; body: unknown; text?: string }, opts: { head?: boolean } = {}) {
    const found = documented(path, method, res.status);
    if (!found) return [`status ${res.status} is not documented on ${method.toUpperCase()} ${path}`];
    if (opts.head) return res.text ? [`HEAD answered with a body`] : [];
    if (!found.schemaPointer) return res.text ? [`status ${res.status} documents no body but one was sent: ${res.text.slice(0, 200)}`] : [];
    let validate = compiled.get(found.schemaPointer);
    if (!validate) {
      validate = ajv.compile({ $ref: found.schemaPointer });
      compiled.set(found.schemaPointer, validate);
    }
    if (validate(res.body)) return [];
    return [`body of ${res.status} does not validate: ${ajv.errorsText(validate.errors)}: ${JSON.stringify(res.body).slice(0, 300)}`];
  }

  /** Validates a value against a named component schema (e.g. ErrorEnvelope). */
  function validSchema(name: string, value: unknown): string[] {
    const key = pointer(['components', 'schemas', name]);
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile({ $ref: key });
      compiled.set(key, validate);
    }
    return validate(value) ? [] : [ajv.errorsText(validate.errors)];
  }

  return { documented, problems, validSchema };
}
