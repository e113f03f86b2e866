import { defineHandler } from '../pipeline/handler';

export const login = defineHandler('login', ['auth'], async (req, { auth }) => {
  const { email, password, workspace_id } = req.body;
  const tokens = await auth.login(email, password, workspace_id);
  return { status: 200, body: { data: tokens }, headers: { 'Cache-Control': 'no-store' } };
});
