import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { OpenApiDocument } from './document';
import type { OperationInfo } from './operations';
import { instantFormats } from './formats';

type Node = Record<string, unknown>;

function deref(doc: OpenApiDocument, node: unknown): Node | undefined {
  for (let hops = 0; hops < 32; hops++) {
    const ref = (node as Node | undefined)?.$ref;
    if (typeof ref !== 'string') return node as Node | undefined;
    node = ref
      .slice(2)
      .split('/')
      .reduce<unknown>((n, key) => (n as Node | undefined)?.[key], doc);
  }
  return undefined;
}

/**
 * Whether a value is valid for one property of the operation's JSON body, by the contract's own
 * schema for it (the formats and the text rules the request validator applies): for steps that
 * must read a field before the whole body is validated, such as the per-account login limit.
 * Throws at start-up when the operation's body has no such property.
 */
export function bodyFieldCheck(doc: OpenApiDocument, op: OperationInfo, field: string): (value: unknown) => boolean {
  const operation = deref(doc, doc.paths[op.path]?.[op.method]);
  const body = deref(doc, (deref(doc, operation?.requestBody)?.content as Node | undefined)?.['application/json']);
  const schema = deref(doc, (deref(doc, body?.schema)?.properties as Node | undefined)?.[field]);
  if (!schema) throw new Error(`openapi.yaml: ${op.operationId} has no body property '${field}'`);
  const ajv = addFormats(new Ajv({ strict: false, validateSchema: false }), { mode: 'full' });
  for (const [name, format] of Object.entries(instantFormats)) ajv.addFormat(name, format);
  const validate = ajv.compile(schema);
  return (value) => typeof value === 'string' && value.isWellFormed() && validate(value);
}
