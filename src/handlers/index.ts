import type { HandlerMap } from '../http/operation';
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
} satisfies HandlerMap;
