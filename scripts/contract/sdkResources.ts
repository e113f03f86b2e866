// sdk/src/generated/resources.ts: one class per `x-sdk` resource, one method per operation, and
// `Resources`, the client's namespaces (CloudApi extends it). Arguments: path parameters in path
// order, the body, the query, then the call's options. What each method sends and returns comes
// from sdkModel.ts; how it is sent (retries, credentials, errors) stays in the hand-written core.
import { resourcesOf, type SdkOperation } from './sdkModel';

const camel = (name: string) => name.replace(/[^A-Za-z0-9]+([A-Za-z0-9])/g, (_, c: string) => c.toUpperCase());
const pascal = (name: string) => name[0].toUpperCase() + name.slice(1);
const key = (name: string) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : `'${name}'`);
/** A comment's text, kept on one line and unable to end the comment early. */
const doc = (text: string) => text.replace(/\s+/g, ' ').replace(/\*\//g, '*\\/').trim();

export const className = (resource: string) => `${pascal(resource)}Resource`;

function parameters(op: SdkOperation): string {
  const args = op.pathParams.map((p) => `${camel(p.name)}: ${p.type}`);
  if (op.body) {
    // An optional body before a required query cannot be `body?`: it is `T | undefined` there.
    const before = op.query?.required;
    args.push(op.body.required ? `body: ${op.body.type}` : before ? `body: ${op.body.type} | undefined` : `body?: ${op.body.type}`);
  }
  if (op.query) args.push(`query: Query<'${op.operationId}'>${op.query.required ? '' : ' = {}'}`);
  args.push(`options?: ${op.idempotencyKey ? 'WriteOptions' : 'CallOptions'}${op.ifMatch ? ' & IfMatch' : ''}`);
  return args.join(', ');
}

function returns(op: SdkOperation): string {
  const { result } = op;
  if (result.kind === 'void') return 'ApiPromise<void>';
  if (result.kind === 'page') return `Paginator<${result.item}>`;
  if (result.kind === 'data' && result.etag) return `ApiPromise<Versioned<${result.type}>>`;
  return `ApiPromise<${result.type}>`;
}

/** The object of openapi-fetch's `params`, or undefined when the call has none. */
function params(op: SdkOperation): string | undefined {
  const parts: string[] = [];
  if (op.pathParams.length) parts.push(`path: { ${op.pathParams.map((p) => `${key(p.name)}: ${camel(p.name)}`).join(', ')} }`);
  if (op.result.kind === 'page') parts.push('query: { ...query, cursor: cursor ?? query.cursor }');
  else if (op.query) parts.push('query');
  const headers = [...(op.idempotencyKey ? ['idempotency(options)'] : []), ...(op.ifMatch ? ['ifMatch(options)'] : [])];
  if (headers.length === 1) parts.push(`header: ${headers[0]}`);
  if (headers.length > 1) parts.push(`header: { ${headers.map((h) => `...${h}`).join(', ')} }`);
  return parts.length ? `{ ${parts.join(', ')} }` : undefined;
}

const HELPER = { void: 'done', page: 'whole', whole: 'whole' } as const;

function method(op: SdkOperation, used: Set<string>): string[] {
  const helper = op.result.kind === 'data' ? (op.result.etag ? 'versioned' : 'unwrap') : HELPER[op.result.kind];
  used.add(helper);
  if (op.idempotencyKey) used.add('idempotency');
  if (op.ifMatch) used.add('ifMatch');
  const p = params(op);
  const init = [...(p ? ['params'] : []), ...(op.body ? ['body'] : []), `fetch: this.ctx.fetch(options${op.anonymous ? ', true' : ''})`];
  const call = `${helper}(this.ctx.api.${op.verb}('${op.path}', { ${init.join(', ')} }))`;
  const summary = op.summary ? `${doc(op.summary)} ` : '';
  const head = [`  /** ${summary}(\`${op.operationId}\`: ${op.verb} ${op.path}) */`, `  ${op.method}(${parameters(op)}): ${returns(op)} {`];
  if (op.result.kind === 'page') {
    return [
      ...head,
      '    return new Paginator((cursor) => {',
      `      const params = ${p};`,
      `      return ${call}.withResponse();`,
      '    });',
      '  }',
    ];
  }
  return [...head, ...(p ? [`    const params = ${p};`] : []), `    return ${call};`, '  }'];
}

/** The text of sdk/src/generated/resources.ts for the operations of the contract, under `banner`. */
export function renderResources(ops: SdkOperation[], banner: string): string {
  const used = new Set<string>();
  const classes: string[] = [];
  const resources = resourcesOf(ops);
  for (const { name, ops: members } of resources) {
    classes.push(
      `/** \`client.${name}\`: ${members.map((op) => op.operationId).join(', ')}. */`,
      `export class ${className(name)} {`,
      '  constructor(protected readonly ctx: Context) {}',
      ...members.flatMap((op) => ['', ...method(op, used)]),
      '}',
      '',
    );
  }
  const helpers = [...used].sort();
  const options = ['CallOptions', 'IfMatch', 'Versioned', 'WriteOptions'];
  return [
    banner.trimEnd(),
    '',
    '// The client\'s namespaces and their methods, from each operation\'s `x-sdk` (scripts/contract/sdkResources.ts).',
    "import type { ApiPromise } from '../apiPromise.js';",
    "import { Paginator } from '../pagination.js';",
    `import { ${[...helpers, 'type Context'].join(', ')} } from '../resources/base.js';`,
    `import type { ${options.join(', ')} } from '../types.js';`,
    "import type { components, operations } from './openapi.js';",
    '',
    "type Schemas = components['schemas'];",
    "type Query<O extends keyof operations> = NonNullable<operations[O]['parameters']['query']>;",
    '',
    ...classes,
    '/** The client\'s namespaces, one per `x-sdk` resource (CloudApi extends it). */',
    'export class Resources {',
    ...resources.map(({ name }) => `  readonly ${name}: ${className(name)};`),
    '',
    '  constructor(ctx: Context) {',
    ...resources.map(({ name }) => `    this.${name} = new ${className(name)}(ctx);`),
    '  }',
    '}',
    '',
  ].join('\n');
}
