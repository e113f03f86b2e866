import type { HandlerMap } from '../pipeline/handler';
import { login } from './login';
import { refreshToken } from './refreshToken';
import { logout } from './logout';
import { getMe } from './getMe';
import { listProjects } from './listProjects';
import { createProject } from './createProject';
import { getProject } from './getProject';
import { updateProject } from './updateProject';
import { deleteProject } from './deleteProject';
import { listApiKeys } from './listApiKeys';
import { createApiKey } from './createApiKey';
import { getApiKey } from './getApiKey';
import { rotateApiKey } from './rotateApiKey';
import { deleteApiKey } from './deleteApiKey';
import { getUsage } from './getUsage';
import { listWebhookEndpoints } from './listWebhookEndpoints';
import { createWebhookEndpoint } from './createWebhookEndpoint';
import { getWebhookEndpoint } from './getWebhookEndpoint';
import { updateWebhookEndpoint } from './updateWebhookEndpoint';
import { deleteWebhookEndpoint } from './deleteWebhookEndpoint';
import { rotateWebhookSecret } from './rotateWebhookSecret';
import { testWebhookEndpoint } from './testWebhookEndpoint';
import { listWebhookDeliveries } from './listWebhookDeliveries';
import { retryWebhookDelivery } from './retryWebhookDelivery';
import { recoverWebhookDeliveries } from './recoverWebhookDeliveries';
import { listEvents } from './listEvents';
import { getEvent } from './getEvent';

/** operationId -> handler. A missing or misspelled operation is a compile error. */
export const handlers = {
  login,
  refreshToken,
  logout,
  getMe,
  listProjects,
  createProject,
  getProject,
  updateProject,
  deleteProject,
  listApiKeys,
  createApiKey,
  getApiKey,
  rotateApiKey,
  deleteApiKey,
  getUsage,
  listWebhookEndpoints,
  createWebhookEndpoint,
  getWebhookEndpoint,
  updateWebhookEndpoint,
  deleteWebhookEndpoint,
  rotateWebhookSecret,
  testWebhookEndpoint,
  listWebhookDeliveries,
  retryWebhookDelivery,
  recoverWebhookDeliveries,
  listEvents,
  getEvent,
} satisfies HandlerMap;
