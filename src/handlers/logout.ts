import type { Handler } from '../http/operation';

export const logout: Handler<'logout'> = async (req, { auth }) => {
  await auth.logout(req.body.refresh_token);
  return { status: 204 };
};
