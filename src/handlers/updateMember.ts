import { defineHandler, requirePrincipal } from '../pipeline/handler';
import { etagOf, requireMatch } from '../http/etag';
import { requireOwnerFor } from '../identity/memberRules';
import { errors } from '../errors';

// One transaction (If-Match, Idempotency-Key, an event): the membership stays locked from the read
// to the write, and the last-owner rule is checked under the owners' lock (the store's), so two
// owners demoting each other at once leave one owner.
export const updateMember = defineHandler('updateMember', ['store', 'events'], async (req, { store, events }) => {
  const principal = requirePrincipal(req);
  const { workspaceId } = principal;
  const userId = req.params.user_id;
  const { role } = req.body;
  const current = await store.identity.getMemberForUpdate(workspaceId, userId);
  if (!current) throw errors.memberNotFound(userId);
  requireMatch(req.headers['if-match'], current, 'member');
  requireOwnerFor(principal, current.role, role);
  let member = current;
  if (role !== current.role) {
    await store.identity.setMembership(userId, workspaceId, role);
    member = { ...current, role };
    await events.emit('member.updated', member, { role: current.role });
  }
  return { status: 200, body: { data: member }, headers: { ETag: etagOf(member) } };
});
