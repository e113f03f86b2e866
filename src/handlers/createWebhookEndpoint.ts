import { defineHandler, requirePrincipal } from '../pipeline/handler';
import { errors } from '../errors';
import { requireSubscribable } from '../auth/eventAccess';

export const createWebhookEndpoint = defineHandler('createWebhookEndpoint', ['store', 'events', 'webhooks', 'eventScopes'], async (req, deps) => {
  const { store, events, webhooks } = deps;
  const principal = requirePrincipal(req);
  const { workspaceId } = principal;
  const { url, enabled_events, description = null } = req.body;
  requireSubscribable(principal, enabled_events, deps.eventScopes);
  await webhooks.checkUrl(url);
  // Counted inside the operation's transaction, so concurrent creations cannot pass the limit together.
  if ((await store.webhooks.countEndpoints(workspaceId)) >= webhooks.maxEndpoints) {
    throw errors.limitExceeded(`A workspace has at most ${webhooks.maxEndpoints} webhook endpoints.`);
  }
  const { secret, sealed } = webhooks.generateSecret();
  const endpoint = await store.webhooks.createEndpoint(workspaceId, { url, description, enabledEvents: enabled_events, secret: sealed });
  await events.emit('webhook_endpoint.created', endpoint);
  return {
    status: 201,
    body: { data: { ...endpoint, secret, previous_secret_expires_at: null } },
    headers: { Location: `/v1/webhook-endpoints/${endpoint.id}`, 'Cache-Control': 'no-store' },
  };
});
