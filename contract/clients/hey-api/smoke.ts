// @hey-api/openapi-ts (fetch client, SDK): an absolute baseUrl with /v1, and an `auth` callback that
// answers only the bearer scheme (by default one value goes to every security alternative, so
// the token would also be sent as x-api-key, and the request refused).
import { check, run, settings } from '../common';
import { client } from './gen/client.gen';
import { createProject, getProject, listProjects, login } from './gen/sdk.gen';

let token: string | undefined;
client.setConfig({ baseUrl: `${settings.url}/v1`, auth: (scheme) => (scheme.scheme === 'bearer' ? token : undefined) });

run('hey-api', {
  async login(email, password) {
    const { data, error } = await login({ body: { email, password } });
    check(data, `login failed: ${error?.error.code}`);
    token = data.data.access_token;
    return token;
  },
  async createProject(name, idempotencyKey) {
    const { data, error, response } = await createProject({
      body: { name },
      headers: idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : undefined,
    });
    check(data, `createProject failed: ${error?.error.code}`);
    return { status: response.status, id: data.data.id, replayed: response.headers.get('Idempotent-Replayed') === 'true' };
  },
  async listProjects(name, limit, cursor) {
    const { data, error } = await listProjects({ query: { name, limit, cursor } });
    check(data, `listProjects failed: ${error?.error.code}`);
    return { ids: data.data.map((p) => p.id), nextCursor: data.meta.next_cursor, hasMore: data.meta.has_more };
  },
  async getMissingProject(id) {
    const { error, response } = await getProject({ path: { project_id: id } });
    return { status: response.status, code: error?.error.code };
  },
});
