import type { Handler } from '../http/operation';

export const refreshToken: Handler<'refreshToken'> = async (req, { auth }) => {
  const tokens = await auth.refresh(req.body.refresh_token);
  return { status: 200, body: { data: tokens }, headers: { 'Cache-Control': 'no-store' } };
};
