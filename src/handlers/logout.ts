import type { Handler } from '../http/operation';

export const logout: Handler<'logout'> = (req, { auth }) => {
  auth.logout(req.body.refresh_token);
  return { status: 204 };
};
