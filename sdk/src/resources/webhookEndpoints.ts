import type { ApiPromise } from '../apiPromise.js';
import { Paginator } from '../pagination.js';
import type {
  CallOptions,
  ListWebhookDeliveriesQuery,
  ListWebhookEndpointsQuery,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEndpointCreate,
  WebhookEndpointUpdate,
  WebhookEndpointWithSecret,
  WebhookRecover,
  WebhookRecoverResult,
  WriteOptions,
} from '../types.js';
import { body, done, idempotency, unwrap, type Context } from './base.js';

/**
 * Webhook endpoints and their deliveries. The signing secret is in `secret` of create and
 * rotateSecret only; verify deliveries with it through `verifyWebhook`.
 */
export class WebhookEndpoints {
  constructor(private readonly ctx: Context) {}

  list(query: ListWebhookEndpointsQuery = {}, options?: CallOptions): Paginator<WebhookEndpoint> {
    return new Paginator((cursor) => {
      const params = { query: { ...query, cursor: cursor ?? query.cursor } };
      return body(this.ctx.api.GET('/webhook-endpoints', { params, fetch: this.ctx.fetch(options) })).withResponse();
    });
  }

  create(endpoint: WebhookEndpointCreate, options?: WriteOptions): ApiPromise<WebhookEndpointWithSecret> {
    const params = { header: idempotency(options) };
    return unwrap(this.ctx.api.POST('/webhook-endpoints', { params, body: endpoint, fetch: this.ctx.fetch(options) }));
  }

  get(endpointId: string, options?: CallOptions): ApiPromise<WebhookEndpoint> {
    const params = { path: { endpoint_id: endpointId } };
    return unwrap(this.ctx.api.GET('/webhook-endpoints/{endpoint_id}', { params, fetch: this.ctx.fetch(options) }));
  }

  update(endpointId: string, changes: WebhookEndpointUpdate, options?: WriteOptions): ApiPromise<WebhookEndpoint> {
    const params = { path: { endpoint_id: endpointId }, header: idempotency(options) };
    return unwrap(this.ctx.api.PATCH('/webhook-endpoints/{endpoint_id}', { params, body: changes, fetch: this.ctx.fetch(options) }));
  }

  delete(endpointId: string, options?: CallOptions): ApiPromise<void> {
    const params = { path: { endpoint_id: endpointId } };
    return done(this.ctx.api.DELETE('/webhook-endpoints/{endpoint_id}', { params, fetch: this.ctx.fetch(options) }));
  }

  /** A new signing secret; for 24 hours deliveries are signed with both. */
  rotateSecret(endpointId: string, options?: WriteOptions): ApiPromise<WebhookEndpointWithSecret> {
    const params = { path: { endpoint_id: endpointId }, header: idempotency(options) };
    return unwrap(this.ctx.api.POST('/webhook-endpoints/{endpoint_id}/rotate-secret', { params, fetch: this.ctx.fetch(options) }));
  }

  /** Queues a `ping` event to the endpoint now; returns the delivery. */
  test(endpointId: string, options?: WriteOptions): ApiPromise<WebhookDelivery> {
    const params = { path: { endpoint_id: endpointId }, header: idempotency(options) };
    return unwrap(this.ctx.api.POST('/webhook-endpoints/{endpoint_id}/test', { params, fetch: this.ctx.fetch(options) }));
  }

  /** The endpoint's deliveries, newest first, each with its latest attempts. */
  listDeliveries(endpointId: string, query: ListWebhookDeliveriesQuery = {}, options?: CallOptions): Paginator<WebhookDelivery> {
    return new Paginator((cursor) => {
      const params = { path: { endpoint_id: endpointId }, query: { ...query, cursor: cursor ?? query.cursor } };
      return body(this.ctx.api.GET('/webhook-endpoints/{endpoint_id}/deliveries', { params, fetch: this.ctx.fetch(options) })).withResponse();
    });
  }

  /** One more attempt of a delivery, now. */
  retryDelivery(endpointId: string, deliveryId: string, options?: WriteOptions): ApiPromise<WebhookDelivery> {
    const params = { path: { endpoint_id: endpointId, delivery_id: deliveryId }, header: idempotency(options) };
    const path = '/webhook-endpoints/{endpoint_id}/deliveries/{delivery_id}/retry';
    return unwrap(this.ctx.api.POST(path, { params, fetch: this.ctx.fetch(options) }));
  }

  /** Queues again the deliveries that failed for good since `since`. */
  recover(endpointId: string, recovery: WebhookRecover, options?: WriteOptions): ApiPromise<WebhookRecoverResult> {
    const params = { path: { endpoint_id: endpointId }, header: idempotency(options) };
    return unwrap(this.ctx.api.POST('/webhook-endpoints/{endpoint_id}/recover', { params, body: recovery, fetch: this.ctx.fetch(options) }));
  }
}
