import { defineHandler } from '../pipeline/handler';

export const refreshToken = defineHandler('refreshToken', ['auth'], async (req, { auth }) => {
  const tokens = await auth.refresh(req.body.refresh_token);
  return { status: 200, body: { data: tokens }, headers: { 'Cache-Control': 'no-store' } };
});
