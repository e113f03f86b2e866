import { defineHandler } from '../pipeline/handler';

export const logout = defineHandler('logout', ['auth'], async (req, { auth }) => {
  await auth.logout(req.body.refresh_token);
  return { status: 204 };
});
