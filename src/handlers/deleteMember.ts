import { defineHandler, requirePrincipal } from '../pipeline/handler';
import { requireMatch } from '../http/etag';
import { requireOwnerFor } from '../identity/memberRules';
import { errors } from '../errors';

// Anyone may leave (the operation needs only members:read); removing someone else needs
// members:write, and an owner needs an owner. The store refuses to remove the last owner, and
// ends the removed user's sessions in the workspace in the same transaction.
export const deleteMember = defineHandler('deleteMember', ['store', 'events'], async (req, { store, events }) => {
  const principal = requirePrincipal(req);
  const { workspaceId } = principal;
  const userId = req.params.user_id;
  const leaving = principal.userId === userId;
  if (!leaving && !principal.scopes.includes('members:write')) throw errors.insufficientScope('members:write', principal.type);
  const current = await store.identity.getMemberForUpdate(workspaceId, userId);
  if (!current) throw errors.memberNotFound(userId);
  requireMatch(req.headers['if-match'], current, 'member');
  if (!leaving) requireOwnerFor(principal, current.role);
  if (!(await store.identity.removeMembership(userId, workspaceId))) throw errors.memberNotFound(userId);
  await events.emit('member.removed', current);
  return { status: 204 };
});
