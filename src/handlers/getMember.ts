import { defineHandler, requirePrincipal } from '../pipeline/handler';
import { conditionalRead } from '../http/etag';
import { errors } from '../errors';

export const getMember = defineHandler('getMember', ['store'], async (req, { store }) => {
  const { workspaceId } = requirePrincipal(req);
  const member = await store.identity.getMember(workspaceId, req.params.user_id);
  if (!member) throw errors.memberNotFound(req.params.user_id);
  return conditionalRead(member, req.headers['if-none-match']);
});
