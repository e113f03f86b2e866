import { defineHandler, requirePrincipal } from '../pipeline/handler';
import { errors } from '../errors';

/** How long the previous secret keeps signing beside the new one (API-DESIGN section 8). */
const OVERLAP_MS = 24 * 60 * 60 * 1000;

export const rotateWebhookSecret = defineHandler('rotateWebhookSecret', ['store', 'events', 'webhooks'], async (req, { store, events, webhooks }) => {
  const { workspaceId } = requirePrincipal(req);
  const id = req.params.endpoint_id;
  const { secret, sealed } = webhooks.generateSecret();
  const previousUntil = new Date(Date.now() + OVERLAP_MS).toISOString();
  const current = await store.webhooks.getEndpoint(workspaceId, id);
  const endpoint = current && (await store.webhooks.rotateSecret(workspaceId, id, sealed, previousUntil));
  if (!current || !endpoint) throw errors.webhookEndpointNotFound(id);
  await events.emit('webhook_endpoint.updated', endpoint, { updated_at: current.updated_at });
  return {
    status: 200,
    body: { data: { ...endpoint, secret, previous_secret_expires_at: previousUntil } },
    headers: { 'Cache-Control': 'no-store' },
  };
});
