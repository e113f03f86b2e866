// Generated from openapi.yaml by `npm run generate`. Do not edit by hand.

// The client's namespaces and their methods, from each operation's `x-sdk` (scripts/contract/sdkResources.ts).
import type { ApiPromise } from '../apiPromise.js';
import { Paginator } from '../pagination.js';
import { done, idempotency, ifMatch, unwrap, versioned, whole, type Context } from '../resources/base.js';
import type { CallOptions, IfMatch, Versioned, WriteOptions } from '../types.js';
import type { components, operations } from './openapi.js';

type Schemas = components['schemas'];
type Query<O extends keyof operations> = NonNullable<operations[O]['parameters']['query']>;

/** `client.auth`: login, refreshToken, logout, switchWorkspace. */
export class AuthResource {
  constructor(protected readonly ctx: Context) {}

  /** Log in (`login`: POST /auth/login) */
  login(body: Schemas['LoginRequest'], options?: CallOptions): ApiPromise<Schemas['TokenPair']> {
    return unwrap(this.ctx.api.POST('/auth/login', { body, fetch: this.ctx.fetch(options, true) }));
  }

  /** Refresh an access token (`refreshToken`: POST /auth/refresh) */
  refresh(body: Schemas['RefreshRequest'], options?: CallOptions): ApiPromise<Schemas['TokenPair']> {
    return unwrap(this.ctx.api.POST('/auth/refresh', { body, fetch: this.ctx.fetch(options, true) }));
  }

  /** Log out (`logout`: POST /auth/logout) */
  logout(body: Schemas['RefreshRequest'], options?: CallOptions): ApiPromise<void> {
    return done(this.ctx.api.POST('/auth/logout', { body, fetch: this.ctx.fetch(options, true) }));
  }

  /** Switch workspace (`switchWorkspace`: POST /auth/switch) */
  switchWorkspace(body: Schemas['SwitchWorkspaceRequest'], options?: WriteOptions): ApiPromise<Schemas['TokenPair']> {
    const params = { header: idempotency(options) };
    return unwrap(this.ctx.api.POST('/auth/switch', { params, body, fetch: this.ctx.fetch(options) }));
  }
}

/** `client.me`: getMe. */
export class MeResource {
  constructor(protected readonly ctx: Context) {}

  /** Describe the caller (`getMe`: GET /me) */
  get(options?: CallOptions): ApiPromise<Schemas['Me']> {
    return unwrap(this.ctx.api.GET('/me', { fetch: this.ctx.fetch(options) }));
  }
}

/** `client.projects`: listProjects, createProject, getProject, updateProject, deleteProject. */
export class ProjectsResource {
  constructor(protected readonly ctx: Context) {}

  /** List projects (`listProjects`: GET /projects) */
  list(query: Query<'listProjects'> = {}, options?: CallOptions): Paginator<Schemas['Project']> {
    return new Paginator((cursor) => {
      const params = { query: { ...query, cursor: cursor ?? query.cursor } };
      return whole(this.ctx.api.GET('/projects', { params, fetch: this.ctx.fetch(options) })).withResponse();
    });
  }

  /** Create a project (`createProject`: POST /projects) */
  create(body: Schemas['ProjectCreate'], options?: WriteOptions): ApiPromise<Versioned<Schemas['Project']>> {
    const params = { header: idempotency(options) };
    return versioned(this.ctx.api.POST('/projects', { params, body, fetch: this.ctx.fetch(options) }));
  }

  /** Get a project (`getProject`: GET /projects/{project_id}) */
  get(projectId: string, options?: CallOptions): ApiPromise<Versioned<Schemas['Project']>> {
    const params = { path: { project_id: projectId } };
    return versioned(this.ctx.api.GET('/projects/{project_id}', { params, fetch: this.ctx.fetch(options) }));
  }

  /** Update a project (`updateProject`: PATCH /projects/{project_id}) */
  update(projectId: string, body: Schemas['ProjectUpdate'], options?: WriteOptions & IfMatch): ApiPromise<Versioned<Schemas['Project']>> {
    const params = { path: { project_id: projectId }, header: { ...idempotency(options), ...ifMatch(options) } };
    return versioned(this.ctx.api.PATCH('/projects/{project_id}', { params, body, fetch: this.ctx.fetch(options) }));
  }

  /** Delete a project (`deleteProject`: DELETE /projects/{project_id}) */
  delete(projectId: string, options?: CallOptions & IfMatch): ApiPromise<void> {
    const params = { path: { project_id: projectId }, header: ifMatch(options) };
    return done(this.ctx.api.DELETE('/projects/{project_id}', { params, fetch: this.ctx.fetch(options) }));
  }
}

/** `client.apiKeys`: listApiKeys, createApiKey, getApiKey, deleteApiKey, rotateApiKey. */
export class ApiKeysResource {
  constructor(protected readonly ctx: Context) {}

  /** List API keys (`listApiKeys`: GET /api-keys) */
  list(query: Query<'listApiKeys'> = {}, options?: CallOptions): Paginator<Schemas['ApiKey']> {
    return new Paginator((cursor) => {
      const params = { query: { ...query, cursor: cursor ?? query.cursor } };
      return whole(this.ctx.api.GET('/api-keys', { params, fetch: this.ctx.fetch(options) })).withResponse();
    });
  }

  /** Create an API key (`createApiKey`: POST /api-keys) */
  create(body: Schemas['ApiKeyCreate'], options?: WriteOptions): ApiPromise<Schemas['ApiKeyCreated']> {
    const params = { header: idempotency(options) };
    return unwrap(this.ctx.api.POST('/api-keys', { params, body, fetch: this.ctx.fetch(options) }));
  }

  /** Get an API key (`getApiKey`: GET /api-keys/{key_id}) */
  get(keyId: string, options?: CallOptions): ApiPromise<Schemas['ApiKey']> {
    const params = { path: { key_id: keyId } };
    return unwrap(this.ctx.api.GET('/api-keys/{key_id}', { params, fetch: this.ctx.fetch(options) }));
  }

  /** Revoke an API key (`deleteApiKey`: DELETE /api-keys/{key_id}) */
  delete(keyId: string, options?: CallOptions): ApiPromise<void> {
    const params = { path: { key_id: keyId } };
    return done(this.ctx.api.DELETE('/api-keys/{key_id}', { params, fetch: this.ctx.fetch(options) }));
  }

  /** Rotate an API key (`rotateApiKey`: POST /api-keys/{key_id}/rotate) */
  rotate(keyId: string, body?: Schemas['ApiKeyRotate'], options?: WriteOptions): ApiPromise<Schemas['ApiKeyCreated']> {
    const params = { path: { key_id: keyId }, header: idempotency(options) };
    return unwrap(this.ctx.api.POST('/api-keys/{key_id}/rotate', { params, body, fetch: this.ctx.fetch(options) }));
  }
}

/** `client.usage`: getUsage. */
export class UsageResource {
  constructor(protected readonly ctx: Context) {}

  /** Request counts and error rate (`getUsage`: GET /usage) */
  get(query: Query<'getUsage'>, options?: CallOptions): ApiPromise<Schemas['Usage']> {
    const params = { query };
    return unwrap(this.ctx.api.GET('/usage', { params, fetch: this.ctx.fetch(options) }));
  }
}

/** `client.webhookEndpoints`: listWebhookEndpoints, createWebhookEndpoint, getWebhookEndpoint, updateWebhookEndpoint, deleteWebhookEndpoint, rotateWebhookSecret, testWebhookEndpoint, listWebhookDeliveries, retryWebhookDelivery, recoverWebhookDeliveries. */
export class WebhookEndpointsResource {
  constructor(protected readonly ctx: Context) {}

  /** List webhook endpoints (`listWebhookEndpoints`: GET /webhook-endpoints) */
  list(query: Query<'listWebhookEndpoints'> = {}, options?: CallOptions): Paginator<Schemas['WebhookEndpoint']> {
    return new Paginator((cursor) => {
      const params = { query: { ...query, cursor: cursor ?? query.cursor } };
      return whole(this.ctx.api.GET('/webhook-endpoints', { params, fetch: this.ctx.fetch(options) })).withResponse();
    });
  }

  /** Create a webhook endpoint (`createWebhookEndpoint`: POST /webhook-endpoints) */
  create(body: Schemas['WebhookEndpointCreate'], options?: WriteOptions): ApiPromise<Schemas['WebhookEndpointWithSecret']> {
    const params = { header: idempotency(options) };
    return unwrap(this.ctx.api.POST('/webhook-endpoints', { params, body, fetch: this.ctx.fetch(options) }));
  }

  /** Get a webhook endpoint (`getWebhookEndpoint`: GET /webhook-endpoints/{endpoint_id}) */
  get(endpointId: string, options?: CallOptions): ApiPromise<Schemas['WebhookEndpoint']> {
    const params = { path: { endpoint_id: endpointId } };
    return unwrap(this.ctx.api.GET('/webhook-endpoints/{endpoint_id}', { params, fetch: this.ctx.fetch(options) }));
  }

  /** Update a webhook endpoint (`updateWebhookEndpoint`: PATCH /webhook-endpoints/{endpoint_id}) */
  update(endpointId: string, body: Schemas['WebhookEndpointUpdate'], options?: WriteOptions): ApiPromise<Schemas['WebhookEndpoint']> {
    const params = { path: { endpoint_id: endpointId }, header: idempotency(options) };
    return unwrap(this.ctx.api.PATCH('/webhook-endpoints/{endpoint_id}', { params, body, fetch: this.ctx.fetch(options) }));
  }

  /** Delete a webhook endpoint (`deleteWebhookEndpoint`: DELETE /webhook-endpoints/{endpoint_id}) */
  delete(endpointId: string, options?: CallOptions): ApiPromise<void> {
    const params = { path: { endpoint_id: endpointId } };
    return done(this.ctx.api.DELETE('/webhook-endpoints/{endpoint_id}', { params, fetch: this.ctx.fetch(options) }));
  }

  /** Rotate a webhook endpoint's signing secret (`rotateWebhookSecret`: POST /webhook-endpoints/{endpoint_id}/rotate-secret) */
  rotateSecret(endpointId: string, options?: WriteOptions): ApiPromise<Schemas['WebhookEndpointWithSecret']> {
    const params = { path: { endpoint_id: endpointId }, header: idempotency(options) };
    return unwrap(this.ctx.api.POST('/webhook-endpoints/{endpoint_id}/rotate-secret', { params, fetch: this.ctx.fetch(options) }));
  }

  /** Send a test event (`testWebhookEndpoint`: POST /webhook-endpoints/{endpoint_id}/test) */
  test(endpointId: string, options?: WriteOptions): ApiPromise<Schemas['WebhookDelivery']> {
    const params = { path: { endpoint_id: endpointId }, header: idempotency(options) };
    return unwrap(this.ctx.api.POST('/webhook-endpoints/{endpoint_id}/test', { params, fetch: this.ctx.fetch(options) }));
  }

  /** List an endpoint's deliveries (`listWebhookDeliveries`: GET /webhook-endpoints/{endpoint_id}/deliveries) */
  listDeliveries(endpointId: string, query: Query<'listWebhookDeliveries'> = {}, options?: CallOptions): Paginator<Schemas['WebhookDelivery']> {
    return new Paginator((cursor) => {
      const params = { path: { endpoint_id: endpointId }, query: { ...query, cursor: cursor ?? query.cursor } };
      return whole(this.ctx.api.GET('/webhook-endpoints/{endpoint_id}/deliveries', { params, fetch: this.ctx.fetch(options) })).withResponse();
    });
  }

  /** Retry a delivery now (`retryWebhookDelivery`: POST /webhook-endpoints/{endpoint_id}/deliveries/{delivery_id}/retry) */
  retryDelivery(endpointId: string, deliveryId: string, options?: WriteOptions): ApiPromise<Schemas['WebhookDelivery']> {
    const params = { path: { endpoint_id: endpointId, delivery_id: deliveryId }, header: idempotency(options) };
    return unwrap(this.ctx.api.POST('/webhook-endpoints/{endpoint_id}/deliveries/{delivery_id}/retry', { params, fetch: this.ctx.fetch(options) }));
  }

  /** Re-send failed deliveries (`recoverWebhookDeliveries`: POST /webhook-endpoints/{endpoint_id}/recover) */
  recover(endpointId: string, body: Schemas['WebhookRecover'], options?: WriteOptions): ApiPromise<Schemas['WebhookRecoverResultEnvelope']['data']> {
    const params = { path: { endpoint_id: endpointId }, header: idempotency(options) };
    return unwrap(this.ctx.api.POST('/webhook-endpoints/{endpoint_id}/recover', { params, body, fetch: this.ctx.fetch(options) }));
  }
}

/** `client.events`: listEvents, getEvent. */
export class EventsResource {
  constructor(protected readonly ctx: Context) {}

  /** List events (`listEvents`: GET /events) */
  list(query: Query<'listEvents'> = {}, options?: CallOptions): Paginator<Schemas['Event']> {
    return new Paginator((cursor) => {
      const params = { query: { ...query, cursor: cursor ?? query.cursor } };
      return whole(this.ctx.api.GET('/events', { params, fetch: this.ctx.fetch(options) })).withResponse();
    });
  }

  /** Get an event (`getEvent`: GET /events/{event_id}) */
  get(eventId: string, options?: CallOptions): ApiPromise<Schemas['Event']> {
    const params = { path: { event_id: eventId } };
    return unwrap(this.ctx.api.GET('/events/{event_id}', { params, fetch: this.ctx.fetch(options) }));
  }
}

/** `client.members`: listMembers, getMember, updateMember, deleteMember. */
export class MembersResource {
  constructor(protected readonly ctx: Context) {}

  /** List members (`listMembers`: GET /members) */
  list(query: Query<'listMembers'> = {}, options?: CallOptions): Paginator<Schemas['Member']> {
    return new Paginator((cursor) => {
      const params = { query: { ...query, cursor: cursor ?? query.cursor } };
      return whole(this.ctx.api.GET('/members', { params, fetch: this.ctx.fetch(options) })).withResponse();
    });
  }

  /** Get a member (`getMember`: GET /members/{user_id}) */
  get(userId: string, options?: CallOptions): ApiPromise<Versioned<Schemas['Member']>> {
    const params = { path: { user_id: userId } };
    return versioned(this.ctx.api.GET('/members/{user_id}', { params, fetch: this.ctx.fetch(options) }));
  }

  /** Change a member's role (`updateMember`: PATCH /members/{user_id}) */
  update(userId: string, body: Schemas['MemberUpdate'], options?: WriteOptions & IfMatch): ApiPromise<Versioned<Schemas['Member']>> {
    const params = { path: { user_id: userId }, header: { ...idempotency(options), ...ifMatch(options) } };
    return versioned(this.ctx.api.PATCH('/members/{user_id}', { params, body, fetch: this.ctx.fetch(options) }));
  }

  /** Remove a member (`deleteMember`: DELETE /members/{user_id}) */
  delete(userId: string, options?: CallOptions & IfMatch): ApiPromise<void> {
    const params = { path: { user_id: userId }, header: ifMatch(options) };
    return done(this.ctx.api.DELETE('/members/{user_id}', { params, fetch: this.ctx.fetch(options) }));
  }
}

/** `client.invitations`: listInvitations, createInvitation, deleteInvitation, acceptInvitation. */
export class InvitationsResource {
  constructor(protected readonly ctx: Context) {}

  /** List pending invitations (`listInvitations`: GET /invitations) */
  list(query: Query<'listInvitations'> = {}, options?: CallOptions): Paginator<Schemas['Invitation']> {
    return new Paginator((cursor) => {
      const params = { query: { ...query, cursor: cursor ?? query.cursor } };
      return whole(this.ctx.api.GET('/invitations', { params, fetch: this.ctx.fetch(options) })).withResponse();
    });
  }

  /** Invite someone (`createInvitation`: POST /invitations) */
  create(body: Schemas['InvitationCreate'], options?: WriteOptions): ApiPromise<Schemas['InvitationCreated']> {
    const params = { header: idempotency(options) };
    return unwrap(this.ctx.api.POST('/invitations', { params, body, fetch: this.ctx.fetch(options) }));
  }

  /** Revoke an invitation (`deleteInvitation`: DELETE /invitations/{invitation_id}) */
  delete(invitationId: string, options?: CallOptions): ApiPromise<void> {
    const params = { path: { invitation_id: invitationId } };
    return done(this.ctx.api.DELETE('/invitations/{invitation_id}', { params, fetch: this.ctx.fetch(options) }));
  }

  /** Accept an invitation (`acceptInvitation`: POST /invitations/accept) */
  accept(body: Schemas['InvitationAccept'], options?: CallOptions): ApiPromise<Schemas['TokenPair']> {
    return unwrap(this.ctx.api.POST('/invitations/accept', { body, fetch: this.ctx.fetch(options, true) }));
  }
}

/** The client's namespaces, one per `x-sdk` resource (CloudApi extends it). */
export class Resources {
  readonly auth: AuthResource;
  readonly me: MeResource;
  readonly projects: ProjectsResource;
  readonly apiKeys: ApiKeysResource;
  readonly usage: UsageResource;
  readonly webhookEndpoints: WebhookEndpointsResource;
  readonly events: EventsResource;
  readonly members: MembersResource;
  readonly invitations: InvitationsResource;

  constructor(ctx: Context) {
    this.auth = new AuthResource(ctx);
    this.me = new MeResource(ctx);
    this.projects = new ProjectsResource(ctx);
    this.apiKeys = new ApiKeysResource(ctx);
    this.usage = new UsageResource(ctx);
    this.webhookEndpoints = new WebhookEndpointsResource(ctx);
    this.events = new EventsResource(ctx);
    this.members = new MembersResource(ctx);
    this.invitations = new InvitationsResource(ctx);
  }
}
