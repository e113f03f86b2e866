// openapi-typescript types + openapi-fetch: the base URL must include /v1 (the contract's server is relative).
import createClient from 'openapi-fetch';
import { check, run, settings } from '../common';
import type { paths } from './gen/openapi';

const client = createClient<paths>({ baseUrl: `${settings.url}/v1` });

run('openapi-fetch', {
  async login(email, password) {
    const { data, error } = await client.POST('/auth/login', { body: { email, password } });
    check(data, `login failed: ${error?.error.code}`);
    const token = data.data.access_token;
    client.use({
      onRequest: ({ request }) => {
        request.headers.set('Authorization', `Bearer ${token}`);
        return request;
      },
    });
    return token;
  },
  async createProject(name, idempotencyKey) {
    const { data, error, response } = await client.POST('/projects', {
      params: { header: { 'Idempotency-Key': idempotencyKey } },
      body: { name },
    });
    check(data, `createProject failed: ${error?.error.code}`);
    return { status: response.status, id: data.data.id, replayed: response.headers.get('Idempotent-Replayed') === 'true' };
  },
  async listProjects(name, limit, cursor) {
    const { data, error } = await client.GET('/projects', { params: { query: { name, limit, cursor } } });
    check(data, `listProjects failed: ${error?.error.code}`);
    return { ids: data.data.map((p) => p.id), nextCursor: data.meta.next_cursor, hasMore: data.meta.has_more };
  },
  async getMissingProject(id) {
    const { error, response } = await client.GET('/projects/{project_id}', { params: { path: { project_id: id } } });
    return { status: response.status, code: error?.error.code };
  },
});
