import { defineHandler, requirePrincipal } from '../pipeline/handler';
import { etagMatches, etagOf } from '../http/etag';
import { errors } from '../errors';

export const getMember = defineHandler('getMember', ['store'], async (req, { store }) => {
  const { workspaceId } = requirePrincipal(req);
  const member = await store.identity.getMember(workspaceId, req.params.user_id);
  if (!member) throw errors.memberNotFound(req.params.user_id);
  const etag = etagOf(member);
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch && etagMatches(ifNoneMatch, etag, true)) return { status: 304, headers: { ETag: etag } };
  return { status: 200, body: { data: member }, headers: { ETag: etag } };
});
