import type { Aggregates, WebhookEndpoint } from '../store/ports';
import { errors } from '../errors';

/**
 * The endpoint `id` of the workspace, when deliveries may be queued to it: 404 when there is none,
 * 409 endpoint_disabled when it is disabled (the rule of test, retry and recover).
 */
export async function enabledEndpoint(store: Aggregates, workspaceId: string, id: string): Promise<WebhookEndpoint> {
  const endpoint = await store.webhooks.getEndpoint(workspaceId, id);
  if (!endpoint) throw errors.webhookEndpointNotFound(id);
  if (endpoint.status !== 'enabled') throw errors.endpointDisabled(id);
  return endpoint;
}
