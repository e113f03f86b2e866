// Invitations: invite an email with a role, its token shown once (the service sends no email: the
// inviter passes the token on), and the pending invitations, each revocable.
import type { components, Role } from '@cloud-api/sdk';
import { useState } from 'preact/hooks';
import type { Session } from '../session';
import { PagedItems, type PagedList } from '../list';
import { ROLES, rolesFor } from '../roles';
import { ActionForm, Confirm, SecretOnce, Select, when } from '../ui';

type Invitation = components['schemas']['Invitation'];
type Created = components['schemas']['InvitationCreated'];

export function InviteMember({ session, onInvited }: { session: Session; onInvited: () => void }) {
  const [open, setOpen] = useState(false);
  const [created, setCreated] = useState<Created>();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('member');
  return (
    <>
      {created && (
        <SecretOnce label={`Invitation token for ${created.email}`} value={created.token} onDone={() => setCreated(undefined)}>
          <p class="warning">
            <strong>No email is sent.</strong> Pass this token on to {created.email} yourself, as an invite link would. They accept it with{' '}
            <code>POST /v1/invitations/accept</code> (the SDK's <code>invitations.accept</code>), choosing a password if they have no account yet. It works once, until{' '}
            {when(created.expires_at)}.
          </p>
        </SecretOnce>
      )}
      {open ? (
        <ActionForm
          id="invite-member"
          title="Invite a member"
          submit="Invite"
          onCancel={() => setOpen(false)}
          onSubmit={async () => {
            setCreated(await session.client.invitations.create({ email: email.trim(), role }));
            setOpen(false);
            setEmail('');
            onInvited();
          }}
        >
          <label for="invite-email">Email</label>
          <input id="invite-email" type="email" required maxLength={254} value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
          <Select label="Role" value={role} options={rolesFor(session)} onChange={setRole} />
          <span class="meta">
            {role}: {ROLES[role]}
          </span>
        </ActionForm>
      ) : (
        <button type="button" onClick={() => setOpen(true)}>
          Invite member
        </button>
      )}
    </>
  );
}

export function PendingInvitations({ session, list, canWrite }: { session: Session; list: PagedList<Invitation>; canWrite: boolean }) {
  return (
    <section aria-labelledby="invitation-list">
      <h2 id="invitation-list">Pending invitations</h2>
      <PagedItems list={list} empty="No pending invitations.">
        {(i) => (
          <li key={i.id} class="card" aria-label={`Invitation ${i.email}`}>
            <h3>{i.email}</h3>
            <p class="meta">
              <span class="badge">{i.role}</span> · invited {when(i.created_at)} · expires {when(i.expires_at)}
            </p>
            {canWrite && (
              <Confirm
                label="Revoke"
                question={`Revoke the invitation of ${i.email}? Its token stops working at once.`}
                confirmLabel="Revoke invitation"
                onConfirm={() => list.remove(i, () => session.client.invitations.delete(i.id), `The invitation of ${i.email} was revoked.`)}
              />
            )}
          </li>
        )}
      </PagedItems>
    </section>
  );
}
