import { definePreparedHandler } from '../pipeline/handler';
import { EmailTaken } from '../store/ports';
import { errors } from '../errors';

// The token and password are checked first, outside the transaction (scrypt takes a quarter of a
// second, which must not hold the write lock or a connection); the transaction then takes the
// invitation only if it is still pending, so of concurrent accepts exactly one gets it.
export const acceptInvitation = definePreparedHandler(
  'acceptInvitation',
  ['store', 'invitations', 'auth', 'events'],
  (req, { store, invitations }) => invitations.check(store, req.body.token, req.body.password),
  async (_req, { store, auth, events }, { invitation, workspaceId, userId, passwordHash }) => {
    const accepted = await store.invitations.accept(invitation.id, new Date().toISOString());
    if (!accepted) throw errors.invalidInvitation();
    let user = userId;
    if (!user) {
      try {
        user = (await store.identity.createUser(invitation.email, passwordHash!)).id;
      } catch (err) {
        // Another request created the account a moment ago: nothing is written; a retry checks the
        // password against that account.
        if (err instanceof EmailTaken) throw errors.serviceUnavailable();
        throw err;
      }
    }
    const inWorkspace = events.inWorkspace(workspaceId);
    await inWorkspace.emit('invitation.accepted', accepted);
    // Someone already a member (added meanwhile) keeps the role they have.
    const added = await store.identity.addMembership(user, workspaceId, invitation.role);
    const member = (await store.identity.getMember(workspaceId, user))!;
    if (added) await inWorkspace.emit('member.added', member);
    const tokens = await auth.startSession(store, user, workspaceId, member.role);
    return { status: 200, body: { data: tokens }, headers: { 'Cache-Control': 'no-store' } };
  },
);
