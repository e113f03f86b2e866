import { defineHandler, requirePrincipal } from '../http/operation';
import { errors } from '../errors';

export const getEvent = defineHandler('getEvent', ['store'], async (req, { store }) => {
  const { workspaceId } = requirePrincipal(req);
  const event = await store.events.get(workspaceId, req.params.event_id);
  if (!event) throw errors.eventNotFound(req.params.event_id);
  return { status: 200, body: { data: event } };
});
