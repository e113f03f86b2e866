// Generated from openapi.yaml by `npm run generate`. Do not edit by hand.

import type { MethodPath } from '../operations.js';
import type { OperationId } from '../types.js';

/** `namespace.method` of every operation of the contract (its `x-sdk`). */
export const OPERATIONS = {
  login: 'auth.login',
  refreshToken: 'auth.refresh',
  logout: 'auth.logout',
  switchWorkspace: 'auth.switchWorkspace',
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
  listMembers: 'members.list',
  getMember: 'members.get',
  updateMember: 'members.update',
  deleteMember: 'members.delete',
  listInvitations: 'invitations.list',
  createInvitation: 'invitations.create',
  deleteInvitation: 'invitations.delete',
  acceptInvitation: 'invitations.accept',
} as const satisfies { readonly [O in OperationId]: MethodPath };
