import type { ApiPromise } from '../apiPromise.js';
import { Paginator } from '../pagination.js';
import type { CallOptions, Event, ListEventsQuery } from '../types.js';
import { body, unwrap, type Context } from './base.js';

/** The workspace's events (kept 30 days), as its webhooks deliver them. */
export class Events {
  constructor(private readonly ctx: Context) {}

  /** Newest first; `type` may name a family (`project.*`). */
  list(query: ListEventsQuery = {}, options?: CallOptions): Paginator<Event> {
    return new Paginator((cursor) => {
      const params = { query: { ...query, cursor: cursor ?? query.cursor } };
      return body(this.ctx.api.GET('/events', { params, fetch: this.ctx.fetch(options) })).withResponse();
    });
  }

  get(eventId: string, options?: CallOptions): ApiPromise<Event> {
    const params = { path: { event_id: eventId } };
    return unwrap(this.ctx.api.GET('/events/{event_id}', { params, fetch: this.ctx.fetch(options) }));
  }
}
