import { defineHandler, requirePrincipal } from '../pipeline/handler';
import type { EventFilters } from '../store/ports';
import { queryInstant } from '../http/instants';
import { keysetPage } from '../http/pagination';

export const listEvents = defineHandler('listEvents', ['store', 'cursors', 'config', 'eventScopes'], async (req, { store, cursors, config, eventScopes }) => {
  const { workspaceId, scopes } = requirePrincipal(req);
  const q = req.query;
  const filters: EventFilters = {
    type: q.type,
    createdAfter: queryInstant(q.created_after, 'created_after'),
    createdBefore: queryInstant(q.created_before, 'created_before'),
    // Only events whose resource the caller may read: a member sees no api_key.* event.
    types: eventScopes.readable(scopes),
  };
  const page = await keysetPage({
    cursors,
    publicUrl: config.publicUrl,
    path: '/v1/events',
    query: q,
    // The cursor is bound to the workspace and the filters, so it cannot be replayed elsewhere.
    scope: ['events', workspaceId, filters.type, filters.createdAfter, filters.createdBefore, filters.types?.join(' ')],
    fetch: (after, limit) => store.events.list(workspaceId, filters, after, limit),
    positionOf: (event) => ({ created_at: event.created, id: event.id }),
  });
  return { status: 200, ...page };
});
