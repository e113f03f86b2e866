import { defineHandler, requirePrincipal } from '../pipeline/handler';
import { errors } from '../errors';

export const getEvent = defineHandler('getEvent', ['store', 'eventScopes'], async (req, { store, eventScopes }) => {
  const { workspaceId, scopes } = requirePrincipal(req);
  const event = await store.events.get(workspaceId, req.params.event_id);
  // An event the caller may not read is as absent as another workspace's.
  const scope = event && eventScopes.scopeOf(event.type);
  if (!event || !scope || !scopes.includes(scope)) throw errors.eventNotFound(req.params.event_id);
  return { status: 200, body: { data: event } };
});
