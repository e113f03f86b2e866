import type { OpenApiDocument } from './document';
import type { OperationInfo } from './operations';
import { DEPRECATION_HEADERS } from './deprecations';

type Parameter = { $ref?: string; in?: string; name?: string };
type Scheme = { type?: string; in?: string; name?: string };
type Response = { $ref?: string; headers?: Record<string, unknown> };

// Browsers always let a page read these (the Fetch standard's CORS-safelisted response headers).
const SAFELISTED = new Set(['cache-control', 'content-language', 'content-length', 'content-type', 'expires', 'last-modified', 'pragma']);

/** Names once each, first spelling kept (header names are case-insensitive). */
function distinct(names: string[]): string[] {
  const seen = new Map<string, string>();
  for (const name of names) if (!seen.has(name.toLowerCase())) seen.set(name.toLowerCase(), name);
  return [...seen.values()];
}

const component = <T>(doc: OpenApiDocument, kind: string, ref: string | undefined): T | undefined =>
  ref ? ((doc.components as Record<string, Record<string, T>> | undefined)?.[kind]?.[ref.split('/').pop()!]) : undefined;

/**
 * The request headers a client may send to an operation, as the contract declares them: its header
 * parameters (the path's and its own), the headers of the security schemes it accepts, and
 * Content-Type where it takes a body. Plus X-Request-Id, which every operation reads (the
 * document's description says so; it is no operation's parameter).
 */
export function requestHeadersOf(doc: OpenApiDocument, op: OperationInfo): string[] {
  const item = doc.paths[op.path] as { parameters?: Parameter[] } & Record<string, unknown>;
  const operation = item[op.method] as { parameters?: Parameter[]; security?: Record<string, string[]>[] };
  const parameters = [...(item.parameters ?? []), ...(operation.parameters ?? [])].map((p) => component<Parameter>(doc, 'parameters', p.$ref) ?? p);
  const names = parameters.flatMap((p) => (p.in === 'header' && p.name ? [p.name] : []));
  const requirement = operation.security ?? (doc.security as Record<string, string[]>[] | undefined) ?? [];
  for (const scheme of requirement.flatMap((alternative) => Object.keys(alternative))) {
    const s = component<Scheme>(doc, 'securitySchemes', `#/${scheme}`);
    if (s?.type === 'apiKey' && s.in === 'header' && s.name) names.push(s.name);
    else if (s?.type === 'http' || s?.type === 'oauth2' || s?.type === 'openIdConnect') names.push('Authorization');
  }
  if (op.requestBody) names.push('Content-Type');
  names.push('X-Request-Id');
  return distinct(names);
}

/**
 * Every response header the contract declares on any operation, and those deprecated operations
 * add: what a browser client must be allowed to read. The safelisted ones need no mention.
 */
export function responseHeadersOf(doc: OpenApiDocument, ops: OperationInfo[]): string[] {
  const names: string[] = [];
  for (const op of ops) {
    const responses = (doc.paths[op.path][op.method] as { responses?: Record<string, Response> }).responses ?? {};
    for (const response of Object.values(responses)) {
      names.push(...Object.keys((component<Response>(doc, 'responses', response.$ref) ?? response).headers ?? {}));
    }
  }
  names.push(...Object.keys(DEPRECATION_HEADERS));
  return distinct(names).filter((name) => !SAFELISTED.has(name.toLowerCase()));
}
