import type { WebhookStore } from '../ports';
import type { Db } from './db';
import { createEndpointMethods } from './webhookEndpoints';
import { createDeliveryMethods } from './webhookDeliveries';

/** The SQLite webhook store: endpoints and deliveries, each half in a file of its own. */
export function createWebhookStore(db: Db): WebhookStore {
  return { ...createEndpointMethods(db), ...createDeliveryMethods(db) };
}
