import { defineHandler, requirePrincipal } from '../pipeline/handler';
import { enabledEndpoint } from '../webhooks/enabledEndpoint';
import { errors } from '../errors';

export const testWebhookEndpoint = defineHandler('testWebhookEndpoint', ['store', 'events'], async (req, { store, events }) => {
  const { workspaceId } = requirePrincipal(req);
  const id = req.params.endpoint_id;
  await enabledEndpoint(store, workspaceId, id);
  // A ping is recorded like any event (GET /v1/events lists it) but goes only to this endpoint.
  const event = await store.events.append({
    type: 'ping',
    workspaceId,
    object: { endpoint_id: id, message: 'A test event from Cloud API.' },
    requestId: req.requestId,
    idempotencyKey: typeof req.headers['idempotency-key'] === 'string' ? req.headers['idempotency-key'] : null,
  });
  const delivery = await store.webhooks.queueDelivery(workspaceId, id, event.id, new Date().toISOString());
  // Deleted by another request since the check above (its transaction committed first).
  if (!delivery) throw errors.webhookEndpointNotFound(id);
  events.queued();
  return { status: 202, body: { data: delivery } };
});
