import { defineHandler, requirePrincipal } from '../http/operation';
import type { EventFilters } from '../store/events';
import { queryInstant } from '../http/instants';
import { keysetPage } from '../http/pagination';

export const listEvents = defineHandler('listEvents', ['store', 'cursors', 'config'], async (req, { store, cursors, config }) => {
  const { workspaceId } = requirePrincipal(req);
  const q = req.query;
  const filters: EventFilters = {
    type: q.type,
    createdAfter: queryInstant(q.created_after, 'created_after'),
    createdBefore: queryInstant(q.created_before, 'created_before'),
  };
  const page = await keysetPage({
    cursors,
    publicUrl: config.publicUrl,
    path: '/v1/events',
    query: q,
    // The cursor is bound to the workspace and the filters, so it cannot be replayed elsewhere.
    scope: ['events', workspaceId, filters.type, filters.createdAfter, filters.createdBefore],
    fetch: (after, limit) => store.events.list(workspaceId, filters, after, limit),
    positionOf: (event) => ({ created_at: event.created, id: event.id }),
  });
  return { status: 200, ...page };
});
