// orval (fetch client) with the mutator in fetcher.ts for the base URL and the credential.
import { check, run, settings } from '../common';
import { configure } from './fetcher';
import { createProject, getProject, listProjects, login } from './gen/api';

configure({ baseUrl: `${settings.url}/v1` });

run('orval', {
  async login(email, password) {
    const res = await login({ email, password });
    check(res.status === 200, `login answered ${res.status}`);
    configure({ baseUrl: `${settings.url}/v1`, token: res.data.data.access_token });
    return res.data.data.access_token;
  },
  async createProject(name, idempotencyKey) {
    const res = await createProject({ name }, idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : undefined);
    check(res.status === 201, `createProject answered ${res.status}`);
    return { status: res.status, id: res.data.data.id, replayed: res.headers.get('Idempotent-Replayed') === 'true' };
  },
  async listProjects(name, limit, cursor) {
    const res = await listProjects({ name, limit, cursor });
    check(res.status === 200, `listProjects answered ${res.status}`);
    return { ids: res.data.data.map((p) => p.id), nextCursor: res.data.meta.next_cursor, hasMore: res.data.meta.has_more };
  },
  async getMissingProject(id) {
    const res = await getProject(id);
    return { status: res.status, code: res.status === 404 ? res.data.error.code : undefined };
  },
});
