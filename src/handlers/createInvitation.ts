import { defineHandler, requirePrincipal } from '../pipeline/handler';
import { principalId } from '../auth/principal';
import { requireOwnerFor } from '../identity/memberRules';
import { errors } from '../errors';

export const createInvitation = defineHandler('createInvitation', ['store', 'invitations', 'events'], async (req, { store, invitations, events }) => {
  const principal = requirePrincipal(req);
  const { workspaceId } = principal;
  const { email, role } = req.body;
  requireOwnerFor(principal, role);
  const account = await store.identity.findUserByEmail(email);
  if (account && (await store.identity.getRole(account.user.id, workspaceId))) throw errors.alreadyMember(email.toLowerCase());
  const { token, hash } = invitations.newToken();
  const nowMs = Date.now();
  const invitation = await store.invitations.create(
    workspaceId,
    { email, role, invitedBy: principalId(principal), tokenHash: hash, expiresAt: invitations.expiresAt(nowMs) },
    new Date(nowMs).toISOString(),
  );
  await events.emit('invitation.created', invitation);
  return {
    status: 201,
    body: { data: { ...invitation, token } },
    headers: { Location: `/v1/invitations/${invitation.id}`, 'Cache-Control': 'no-store' },
  };
});
