import type { Async, WebhookStore } from '../ports';
import type { Queryable } from './db';
import { createPgEndpointMethods } from './webhookEndpoints';
import { createPgDeliveryMethods } from './webhookDeliveries';

/** The webhook store on PostgreSQL: endpoints and deliveries, each half in a file of its own. */
export function createPgWebhookStore(
  db: Queryable,
  transaction: <T>(fn: (tx: Queryable) => Promise<T>) => Promise<T>,
): Async<WebhookStore> {
  return { ...createPgEndpointMethods(db, transaction), ...createPgDeliveryMethods(db, transaction) };
}
