import { defineHandler, requirePrincipal } from '../pipeline/handler';
import { errors } from '../errors';

export const deleteInvitation = defineHandler('deleteInvitation', ['store', 'events'], async (req, { store, events }) => {
  const { workspaceId } = requirePrincipal(req);
  const id = req.params.invitation_id;
  const revoked = await store.invitations.revoke(workspaceId, id, new Date().toISOString());
  if (!revoked) throw errors.invitationNotFound(id);
  await events.emit('invitation.revoked', revoked);
  return { status: 204 };
});
