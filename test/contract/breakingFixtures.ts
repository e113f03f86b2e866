// Copies of openapi.yaml with one planted change each, built from the file itself so they follow
// it as it evolves. Each fixture says how the breaking-change gate must judge it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

// The fixtures edit a parsed YAML document, which has no static type.
type Doc = any;

export interface Fixture {
  name: string;
  breaking: boolean;
  change: (doc: Doc) => void;
  /** Applied to the base and the revision alike, before `change`: the contract the change starts from. */
  base?: (doc: Doc) => void;
}

export function loadContract(root: string): Doc {
  return parse(readFileSync(join(root, 'openapi.yaml'), 'utf8'));
}

function param(doc: Doc, path: string, method: string, name: string): Doc {
  const found = doc.paths[path][method].parameters.find((p: Doc) => p.name === name);
  if (!found) throw new Error(`no parameter ${name} on ${method} ${path}`);
  return found;
}

const REQUEST_SCHEMAS = new Set(['LoginRequest', 'RefreshRequest', 'ProjectCreate', 'ProjectUpdate', 'ApiKeyCreate', 'ApiKeyRotate']);

/** Deletes `additionalProperties: false` and `unevaluatedProperties: false` everywhere under node. */
function open(node: Doc): void {
  if (node === null || typeof node !== 'object') return;
  for (const key of ['additionalProperties', 'unevaluatedProperties']) if (node[key] === false) delete node[key];
  for (const child of Object.values(node)) open(child);
}

/** The closed world of contract 1.0.0: every response object schema refuses unknown properties. */
function closeResponses(doc: Doc): void {
  for (const [name, schema] of Object.entries<Doc>(doc.components.schemas)) {
    if (!REQUEST_SCHEMAS.has(name) && schema.type === 'object' && schema.properties) schema.additionalProperties = false;
  }
}

/** What the open-contract change does: every response schema admits unknown properties, requests stay strict. */
function openResponses(doc: Doc): void {
  for (const item of Object.values<Doc>(doc.paths)) for (const op of Object.values<Doc>(item)) if (op?.responses) open(op.responses);
  open(doc.components.responses);
  for (const [name, schema] of Object.entries(doc.components.schemas)) if (!REQUEST_SCHEMAS.has(name)) open(schema);
}

// WebhookDisabledReason: an enum only responses use (Role is also a request enum since members can be updated).
/** WebhookDisabledReason as an open enum, `anyOf` of the known values and any string. */
export function openReason(doc: Doc, values: string[]): void {
  const { description } = doc.components.schemas.WebhookDisabledReason;
  doc.components.schemas.WebhookDisabledReason = { description, anyOf: [{ type: 'string', enum: values }, { type: 'string' }] };
}

/** Me.type as 1.3.0 wrote it: the known values inline, in a branch without a name or description. */
function inlinePrincipalType(doc: Doc): void {
  doc.components.schemas.Me.properties.type.anyOf[0] = { type: 'string', enum: ['user', 'api_key'] };
}

/** A copy of PingEvent whose `type` lists these values, added as the last member of Event. */
function addEventBranch(doc: Doc, types: string[]): void {
  const note = structuredClone(doc.components.schemas.PingEvent);
  note.properties.type = { type: 'string', enum: types };
  delete note.examples;
  doc.components.schemas.NoteEvent = note;
  doc.components.schemas.Event.anyOf.push({ $ref: '#/components/schemas/NoteEvent' });
}

export const fixtures: Fixture[] = [
  {
    name: 'removes a response property (Project.description)',
    breaking: true,
    change: (doc) => {
      const project = doc.components.schemas.Project;
      delete project.properties.description;
      project.required = project.required.filter((p: string) => p !== 'description');
    },
  },
  {
    name: 'makes an optional parameter required (listProjects name)',
    breaking: true,
    change: (doc) => {
      param(doc, '/projects', 'get', 'name').required = true;
    },
  },
  {
    name: 'removes an enum value from a request (getUsage group_by status_class)',
    breaking: true,
    change: (doc) => {
      const declared = param(doc, '/usage', 'get', 'group_by').schema;
      const schema = declared.$ref ? doc.components.schemas[declared.$ref.split('/').pop()] : declared;
      schema.enum = schema.enum.filter((v: string) => v !== 'status_class');
    },
  },
  {
    name: 'lowers a maximum in a request (the limit parameter)',
    breaking: true,
    change: (doc) => {
      doc.components.parameters.Limit.schema.maximum = 100;
    },
  },
  {
    name: 'removes an operation (deleteProject)',
    breaking: true,
    change: (doc) => {
      delete doc.paths['/projects/{project_id}'].delete;
    },
  },
  {
    name: 'adds an optional property to a request and a response (Project color)',
    breaking: false,
    change: (doc) => {
      const color = { type: 'string', maxLength: 20, description: 'A display colour.' };
      doc.components.schemas.Project.properties.color = color;
      doc.components.schemas.ProjectCreate.properties.color = color;
    },
  },
  {
    name: 'adds an operation (archiveProject)',
    breaking: false,
    change: (doc) => {
      const get = doc.paths['/projects/{project_id}'].get;
      doc.paths['/projects/{project_id}/archive'] = {
        parameters: doc.paths['/projects/{project_id}'].parameters,
        post: { ...get, operationId: 'archiveProject', summary: 'Archive a project', parameters: undefined },
      };
    },
  },
  {
    name: 'opens every response object (additionalProperties/unevaluatedProperties: false removed)',
    breaking: false,
    base: closeResponses,
    change: openResponses,
  },
  {
    name: 'opens a response enum with anyOf [enum, string] (WebhookDisabledReason)',
    breaking: false,
    change: (doc) => openReason(doc, doc.components.schemas.WebhookDisabledReason.enum),
  },
  {
    name: 'opens a response enum but drops one of its values (WebhookDisabledReason)',
    breaking: true,
    change: (doc) => openReason(doc, ['manual', 'gone']),
  },
  {
    name: 'opens a response enum with anyOf [$ref to the known values, string] (WebhookDisabledReason)',
    breaking: false,
    change: (doc) => {
      doc.components.schemas.KnownReason = { ...doc.components.schemas.WebhookDisabledReason };
      doc.components.schemas.WebhookDisabledReason = { description: 'Why; more reasons may come.', anyOf: [{ $ref: '#/components/schemas/KnownReason' }, { type: 'string' }] };
    },
  },
  {
    name: 'moves the known values of an open response enum from an inline enum to a described $ref (Me.type)',
    breaking: false,
    base: inlinePrincipalType,
    change: (doc) => (doc.components.schemas.Me.properties.type.anyOf[0] = { $ref: '#/components/schemas/PrincipalType' }),
  },
  {
    name: 'moves the known values of an open response enum to a $ref that drops one (Me.type)',
    breaking: true,
    base: inlinePrincipalType,
    change: (doc) => {
      doc.components.schemas.Me.properties.type.anyOf[0] = { $ref: '#/components/schemas/PrincipalType' };
      doc.components.schemas.PrincipalType.enum = ['user'];
    },
  },
  {
    name: 'adds a branch to an open response enum (Me.type also an integer)',
    breaking: true,
    change: (doc) => doc.components.schemas.Me.properties.type.anyOf.push({ type: 'integer' }),
  },
  {
    name: 'marks a response enum x-extensible-enum (Role)',
    breaking: false,
    change: (doc) => {
      const role = doc.components.schemas.Role;
      doc.components.schemas.Role = { type: 'string', description: role.description, 'x-extensible-enum': role.enum };
    },
  },
  {
    name: 'documents a new error status and a response header (getMe 409, RateLimit on 200)',
    breaking: false,
    change: (doc) => {
      const getMe = doc.paths['/me'].get;
      getMe.responses['409'] = { $ref: '#/components/responses/Conflict' };
      getMe.responses['200'].headers = { ...getMe.responses['200'].headers, RateLimit: { $ref: '#/components/headers/RateLimit' } };
    },
  },
  {
    name: 'adds a member to a discriminated response union (Event gains NoteEvent, a PingEvent of type note.created)',
    breaking: false,
    change: (doc) => addEventBranch(doc, ['note.created']),
  },
  {
    name: 'adds a union member whose type repeats an existing one (a second ping event)',
    breaking: true,
    change: (doc) => addEventBranch(doc, ['ping']),
  },
  {
    name: 'grows an enum nested in an open enum (EventType through EnabledEvent in EnabledEventValue)',
    breaking: false,
    change: (doc) => doc.components.schemas.EventType.enum.push('note.created'),
  },
];
