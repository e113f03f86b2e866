import { defineHandler, requirePrincipal } from '../pipeline/handler';
import { errors } from '../errors';
import { requireSubscribable } from '../auth/eventAccess';
import { previousAttributes } from '../pipeline/events';

const FIELDS = ['url', 'description', 'enabled_events', 'status'] as const;

export const updateWebhookEndpoint = defineHandler('updateWebhookEndpoint', ['store', 'events', 'webhooks', 'eventScopes'], async (req, deps) => {
  const { store, events, webhooks } = deps;
  const principal = requirePrincipal(req);
  const { workspaceId } = principal;
  const id = req.params.endpoint_id;
  const { url, description, enabled_events, status } = req.body;
  const current = await store.webhooks.getEndpoint(workspaceId, id);
  if (!current) throw errors.webhookEndpointNotFound(id);
  // Choosing what an endpoint receives, or where it goes, needs the scopes that read those events.
  if (enabled_events !== undefined || url !== undefined) {
    requireSubscribable(principal, enabled_events ?? current.enabled_events, deps.eventScopes);
  }
  if (url !== undefined && url !== current.url) await webhooks.checkUrl(url);
  const updated = await store.webhooks.updateEndpoint(workspaceId, id, { url, description, enabledEvents: enabled_events, status });
  if (!updated) throw errors.webhookEndpointNotFound(id);
  const previous = previousAttributes(current, updated, FIELDS);
  if (previous) await events.emit('webhook_endpoint.updated', updated, { ...previous, updated_at: current.updated_at });
  return { status: 200, body: { data: updated } };
});
