// Generated from openapi.yaml by `npm run generate`. Do not edit by hand.

import type { HandlerMap } from '../src/pipeline/handler';
import { login } from '../src/handlers/login';
import { refreshToken } from '../src/handlers/refreshToken';
import { logout } from '../src/handlers/logout';
import { switchWorkspace } from '../src/handlers/switchWorkspace';
import { getMe } from '../src/handlers/getMe';
import { listProjects } from '../src/handlers/listProjects';
import { createProject } from '../src/handlers/createProject';
import { getProject } from '../src/handlers/getProject';
import { deleteProject } from '../src/handlers/deleteProject';
import { updateProject } from '../src/handlers/updateProject';
import { listApiKeys } from '../src/handlers/listApiKeys';
import { createApiKey } from '../src/handlers/createApiKey';
import { getApiKey } from '../src/handlers/getApiKey';
import { deleteApiKey } from '../src/handlers/deleteApiKey';
import { rotateApiKey } from '../src/handlers/rotateApiKey';
import { getUsage } from '../src/handlers/getUsage';
import { listWebhookEndpoints } from '../src/handlers/listWebhookEndpoints';
import { createWebhookEndpoint } from '../src/handlers/createWebhookEndpoint';
import { getWebhookEndpoint } from '../src/handlers/getWebhookEndpoint';
import { deleteWebhookEndpoint } from '../src/handlers/deleteWebhookEndpoint';
import { updateWebhookEndpoint } from '../src/handlers/updateWebhookEndpoint';
import { rotateWebhookSecret } from '../src/handlers/rotateWebhookSecret';
import { testWebhookEndpoint } from '../src/handlers/testWebhookEndpoint';
import { listWebhookDeliveries } from '../src/handlers/listWebhookDeliveries';
import { retryWebhookDelivery } from '../src/handlers/retryWebhookDelivery';
import { recoverWebhookDeliveries } from '../src/handlers/recoverWebhookDeliveries';
import { listEvents } from '../src/handlers/listEvents';
import { getEvent } from '../src/handlers/getEvent';
import { listMembers } from '../src/handlers/listMembers';
import { getMember } from '../src/handlers/getMember';
import { deleteMember } from '../src/handlers/deleteMember';
import { updateMember } from '../src/handlers/updateMember';
import { listInvitations } from '../src/handlers/listInvitations';
import { createInvitation } from '../src/handlers/createInvitation';
import { deleteInvitation } from '../src/handlers/deleteInvitation';
import { acceptInvitation } from '../src/handlers/acceptInvitation';

/** operationId -> handler: each operation's module in src/handlers/ exports it under the operationId. */
export const handlers = {
  login,
  refreshToken,
  logout,
  switchWorkspace,
  getMe,
  listProjects,
  createProject,
  getProject,
  deleteProject,
  updateProject,
  listApiKeys,
  createApiKey,
  getApiKey,
  deleteApiKey,
  rotateApiKey,
  getUsage,
  listWebhookEndpoints,
  createWebhookEndpoint,
  getWebhookEndpoint,
  deleteWebhookEndpoint,
  updateWebhookEndpoint,
  rotateWebhookSecret,
  testWebhookEndpoint,
  listWebhookDeliveries,
  retryWebhookDelivery,
  recoverWebhookDeliveries,
  listEvents,
  getEvent,
  listMembers,
  getMember,
  deleteMember,
  updateMember,
  listInvitations,
  createInvitation,
  deleteInvitation,
  acceptInvitation,
} satisfies HandlerMap;
