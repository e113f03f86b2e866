import { defineHandler, requirePrincipal } from '../http/operation';
import type { WebhookEndpoint } from '../store/webhooks';
import { errors } from '../errors';

const FIELDS = ['url', 'description', 'enabled_events', 'status'] as const;

/** The old values of the fields that changed, as `previous_attributes` of the event. */
function changed(before: WebhookEndpoint, after: WebhookEndpoint): Partial<WebhookEndpoint> {
  const previous: Partial<WebhookEndpoint> = {};
  for (const f of FIELDS) {
    if (JSON.stringify(before[f]) !== JSON.stringify(after[f])) Object.assign(previous, { [f]: before[f] });
  }
  return previous;
}

export const updateWebhookEndpoint = defineHandler('updateWebhookEndpoint', ['store', 'events', 'webhooks'], async (req, { store, events, webhooks }) => {
  const { workspaceId } = requirePrincipal(req);
  const id = req.params.endpoint_id;
  const { url, description, enabled_events, status } = req.body;
  const current = await store.webhooks.getEndpoint(workspaceId, id);
  if (!current) throw errors.webhookEndpointNotFound(id);
  if (url !== undefined && url !== current.url) await webhooks.checkUrl(url);
  const updated = await store.webhooks.updateEndpoint(workspaceId, id, { url, description, enabledEvents: enabled_events, status });
  if (!updated) throw errors.webhookEndpointNotFound(id);
  const previous = changed(current, updated);
  if (Object.keys(previous).length) await events.emit('webhook_endpoint.updated', updated, { ...previous, updated_at: current.updated_at });
  return { status: 200, body: { data: updated } };
});
