import { SpecError, type OpenApiDocument } from './document';
import type { OperationInfo } from './operations';

/** What a deprecated operation or parameter declares, as the headers it makes responses carry. */
export interface Deprecation {
  /** `deprecated at ...; sunset on ...` for the docs. */
  since: string;
  sunset: string;
  headers: { Deprecation: string; Sunset: string; Link: string };
}

export interface DeprecatedParameter {
  name: string;
  in: 'query' | 'header';
  deprecation: Deprecation;
}

export interface OperationDeprecations {
  operation?: Deprecation;
  parameters: DeprecatedParameter[];
}

type Marked = {
  deprecated?: unknown;
  'x-deprecated-at'?: unknown;
  'x-sunset'?: unknown;
  'x-deprecation-link'?: unknown;
  name?: string;
  in?: string;
  $ref?: string;
};

const RFC3339 = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))?$/i;

/** An RFC 3339 date (midnight UTC) or date-time, as epoch milliseconds; SpecError otherwise. */
function instant(value: unknown, where: string, key: string): number {
  const text = value instanceof Date ? value.toISOString() : String(value ?? '');
  const m = RFC3339.exec(text);
  const ms = m ? Date.parse(m[2] ? text : `${text}T00:00:00Z`) : NaN;
  // Date.parse rolls 2027-02-30 over to March: the date must read back as written.
  if (!m || Number.isNaN(ms) || (!m[2] && new Date(ms).toISOString().slice(0, 10) !== m[1])) {
    throw new SpecError(`${where}: ${key} must be an RFC 3339 date or date-time, got ${JSON.stringify(value)}`);
  }
  return ms;
}

function linkOf(marked: Marked, where: string, fallback: string, publicUrl: string): string {
  const declared = marked['x-deprecation-link'];
  if (declared === undefined) return fallback;
  const text = String(declared);
  try {
    const url = new URL(text.startsWith('/') ? publicUrl + text : text);
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.href;
  } catch {
    // reported below
  }
  throw new SpecError(`${where}: x-deprecation-link must be an http(s) URL or a path, got ${JSON.stringify(declared)}`);
}

/** Reads one deprecation; undefined when not deprecated, SpecError when declared incompletely or badly. */
function deprecationOf(marked: Marked, where: string, docsLink: string, publicUrl: string): Deprecation | undefined {
  const dated = marked['x-deprecated-at'] !== undefined || marked['x-sunset'] !== undefined;
  if (marked.deprecated !== true) {
    if (dated) throw new SpecError(`${where}: x-deprecated-at and x-sunset need deprecated: true`);
    return undefined;
  }
  if (marked['x-deprecated-at'] === undefined || marked['x-sunset'] === undefined) {
    throw new SpecError(`${where}: deprecated: true needs an x-deprecated-at and an x-sunset date`);
  }
  const since = instant(marked['x-deprecated-at'], where, 'x-deprecated-at');
  const sunset = instant(marked['x-sunset'], where, 'x-sunset');
  if (sunset < since) throw new SpecError(`${where}: x-sunset is earlier than x-deprecated-at`);
  const link = linkOf(marked, where, docsLink, publicUrl);
  return {
    since: new Date(since).toISOString(),
    sunset: new Date(sunset).toISOString(),
    headers: {
      Deprecation: `@${Math.floor(since / 1000)}`,
      Sunset: new Date(sunset).toUTCString(),
      Link: `<${link}>; rel="deprecation"; type="text/html"`,
    },
  };
}

function resolveParameter(doc: OpenApiDocument, p: Marked): Marked {
  const name = p.$ref?.match(/^#\/components\/parameters\/(.+)$/)?.[1];
  if (!p.$ref) return p;
  const target = name ? (doc.components as { parameters?: Record<string, Marked> } | undefined)?.parameters?.[name] : undefined;
  if (!target) throw new SpecError(`parameter ${p.$ref} cannot be resolved`);
  return target;
}

/**
 * The deprecated operations and parameters of the contract, by operationId. Dates are checked
 * here, at start: a missing or malformed date is a SpecError.
 */
export function readDeprecations(doc: OpenApiDocument, ops: OperationInfo[], publicUrl: string): Map<string, OperationDeprecations> {
  const out = new Map<string, OperationDeprecations>();
  for (const op of ops) {
    const item = doc.paths[op.path] as Record<string, unknown> & { parameters?: Marked[] };
    const operation = item[op.method] as Marked & { parameters?: Marked[]; tags?: string[] };
    const tag = operation.tags?.[0] ?? 'default';
    const docsLink = `${publicUrl}/docs#/${encodeURIComponent(tag)}/${encodeURIComponent(op.operationId)}`;
    const where = `${op.method.toUpperCase()} ${op.path}`;
    const found: OperationDeprecations = { operation: deprecationOf(operation, where, docsLink, publicUrl), parameters: [] };
    for (const raw of [...(item.parameters ?? []), ...(operation.parameters ?? [])]) {
      const p = resolveParameter(doc, raw);
      const at = `${where} parameter ${p.name}`;
      const deprecation = deprecationOf(p, at, docsLink, publicUrl);
      if (!deprecation) continue;
      if (p.in !== 'query' && p.in !== 'header') {
        throw new SpecError(`${at}: only query and header parameters can be deprecated (deprecate the operation instead)`);
      }
      found.parameters.push({ name: p.in === 'header' ? String(p.name).toLowerCase() : String(p.name), in: p.in, deprecation });
    }
    if (found.operation || found.parameters.length) out.set(op.operationId, found);
  }
  return out;
}

const day = (iso: string) => (iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso);
const sentence = (what: string, d: Deprecation) =>
  `**Deprecated**: ${what} is deprecated since ${day(d.since)} and may stop working after its sunset on ${day(d.sunset)}.`;
/** The headers a deprecated operation's responses carry, as the served contract documents them. */
export const DEPRECATION_HEADERS = {
  Deprecation: { $ref: '#/components/headers/Deprecation' },
  Sunset: { $ref: '#/components/headers/Sunset' },
  Link: { $ref: '#/components/headers/DeprecationLink' },
};

function append(target: { description?: string }, text: string): void {
  target.description = target.description ? `${target.description.trimEnd()}\n\n${text}` : text;
}

/**
 * The contract as served: each deprecated operation says when it was deprecated and its sunset
 * date in its description (and so does each deprecated parameter), and its responses document
 * the deprecation headers.
 */
export function withDeprecationNotes(doc: OpenApiDocument, ops: (OperationInfo & { deprecation?: OperationDeprecations })[]): OpenApiDocument {
  if (!ops.some((op) => op.deprecation)) return doc;
  const copy = structuredClone(doc);
  const responses = (copy.components as { responses?: Record<string, unknown> } | undefined)?.responses ?? {};
  const noted = new Set<object>();
  for (const op of ops) {
    const found = op.deprecation;
    if (!found) continue;
    const item = copy.paths[op.path] as Record<string, unknown> & { parameters?: Marked[] };
    const operation = item[op.method] as { description?: string; parameters?: Marked[]; responses?: Record<string, unknown> };
    if (found.operation) append(operation, sentence('this operation', found.operation));
    for (const p of found.parameters) {
      append(operation, sentence(`the \`${p.name}\` ${p.in} parameter`, p.deprecation));
      const declared = [...(item.parameters ?? []), ...(operation.parameters ?? [])]
        .map((raw) => resolveParameter(copy, raw))
        .find((d) => d.in === p.in && String(d.name).toLowerCase() === p.name.toLowerCase());
      if (declared && !noted.has(declared)) {
        noted.add(declared);
        append(declared as { description?: string }, sentence('this parameter', p.deprecation));
      }
    }
    for (const [status, response] of Object.entries(operation.responses ?? {})) {
      const ref = (response as { $ref?: string }).$ref?.match(/^#\/components\/responses\/(.+)$/)?.[1];
      const resolved = structuredClone((ref ? responses[ref] : response) as { headers?: Record<string, unknown> });
      resolved.headers = { ...resolved.headers, ...DEPRECATION_HEADERS };
      operation.responses![status] = resolved;
    }
  }
  return copy;
}
