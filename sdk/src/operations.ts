// Where each operation of the contract lives in the SDK. The type makes the compiler check both
// ways: a new operationId in openapi.yaml is an error here until it has a method, and every entry
// must name a method that exists.
import type { CloudApi } from './client.js';
import type { OperationId } from './types.js';

type Methods<T> = { [M in keyof T]: T[M] extends (...args: never[]) => unknown ? M & string : never }[keyof T];
/** `namespace.method` for every method of every namespace of the client. */
export type MethodPath = { [N in keyof CloudApi]: `${N & string}.${Methods<CloudApi[N]>}` }[keyof CloudApi];

export const OPERATIONS = {
  login: 'auth.login',
  refreshToken: 'auth.refresh',
  logout: 'auth.logout',
  getMe: 'me.get',
  listProjects: 'projects.list',
  createProject: 'projects.create',
  getProject: 'projects.get',
  updateProject: 'projects.update',
  deleteProject: 'projects.delete',
  listApiKeys: 'apiKeys.list',
  createApiKey: 'apiKeys.create',
  getApiKey: 'apiKeys.get',
  deleteApiKey: 'apiKeys.delete',
  rotateApiKey: 'apiKeys.rotate',
  getUsage: 'usage.get',
  listWebhookEndpoints: 'webhookEndpoints.list',
  createWebhookEndpoint: 'webhookEndpoints.create',
  getWebhookEndpoint: 'webhookEndpoints.get',
  updateWebhookEndpoint: 'webhookEndpoints.update',
  deleteWebhookEndpoint: 'webhookEndpoints.delete',
  rotateWebhookSecret: 'webhookEndpoints.rotateSecret',
  testWebhookEndpoint: 'webhookEndpoints.test',
  listWebhookDeliveries: 'webhookEndpoints.listDeliveries',
  retryWebhookDelivery: 'webhookEndpoints.retryDelivery',
  recoverWebhookDeliveries: 'webhookEndpoints.recover',
  listEvents: 'events.list',
  getEvent: 'events.get',
} as const satisfies { readonly [O in OperationId]: MethodPath };
