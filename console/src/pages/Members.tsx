// Members: who is in the workspace with which role; change a role, remove someone or leave; and
// the invitations that bring people in (pages/Invitations.tsx). Write controls only for a role
// that holds members:write: a member sees the team and may leave, nothing more.
import type { components, Role } from '@cloud-api/sdk';
import { useEffect, useState } from 'preact/hooks';
import type { PageProps, Session } from '../session';
import { PagedItems, usePagedList, type PagedList } from '../list';
import { canManageMembers, mayManage, rolesFor } from '../roles';
import { Confirm, Select, when } from '../ui';
import { InviteMember, PendingInvitations } from './Invitations';

type Member = components['schemas']['Member'];

export function Members({ session, onSession }: PageProps) {
  const { client, me } = session;
  const canWrite = canManageMembers(session);
  const list = usePagedList(() => client.members.list({ limit: 50 }), (m) => m.user_id);
  const invitations = usePagedList(() => client.invitations.list({ limit: 50 }), (i) => i.id);
  const refresh = () => Promise.all([list.load(), invitations.load()]);
  useEffect(() => void refresh(), []);

  /** Left the workspace: on to another one of this user's, or signed out when there is none. */
  const left = async () => {
    const other = me.memberships?.find((m) => m.workspace_id !== me.workspace.id);
    if (other) return onSession(await session.switchTo(other.workspace_id));
    await session.signOut();
    onSession(undefined);
  };

  return (
    <>
      <p>
        You are <strong>{me.role}</strong> in {me.workspace.name}
        {canWrite ? '.' : ': you can see the team and leave it; owners and admins invite people and change roles.'}
      </p>
      {canWrite && <InviteMember session={session} onInvited={invitations.load} />}
      <section aria-labelledby="member-list">
        <h2 id="member-list">Members of {me.workspace.name}</h2>
        {/* An invitation is accepted elsewhere, by the invitee: this shows who has joined since. */}
        <button type="button" class="secondary" onClick={() => void refresh()} disabled={list.busy || invitations.busy}>
          Refresh
        </button>
        <PagedItems list={list} empty="No members.">
          {(m) => {
            const self = m.user_id === me.user?.id;
            return (
              <li key={m.user_id} class="card" aria-label={`Member ${m.email}`}>
                <h3>
                  {m.email}
                  {self && ' (you)'}
                </h3>
                <p class="meta">
                  <span class="badge">{m.role}</span> · joined {when(m.joined_at)}
                </p>
                <div class="row">
                  {mayManage(session, m.role) && <ChangeRole session={session} list={list} member={m} self={self} onSelf={() => list.run(async () => onSession(await session.switchTo(me.workspace.id)))} />}
                  {self ? (
                    <Confirm label="Leave" question={`Leave ${me.workspace.name}? You lose access to it at once.`} confirmLabel="Leave workspace" onConfirm={async () => (await list.remove(m, () => client.members.delete(m.user_id))) && list.run(left)} />
                  ) : (
                    mayManage(session, m.role) && <Confirm label="Remove" question={`Remove ${m.email} from ${me.workspace.name}? Their sessions end at once; the API keys they made stay.`} confirmLabel="Remove member" onConfirm={() => list.remove(m, () => client.members.delete(m.user_id), `${m.email} was removed.`)} />
                  )}
                </div>
              </li>
            );
          }}
        </PagedItems>
      </section>
      <PendingInvitations session={session} list={invitations} canWrite={canWrite} />
    </>
  );
}

/** A role picked, then `Change role`: a select that acted on every arrow key would change roles by accident. */
function ChangeRole({ session, list, member, self, onSelf }: { session: Session; list: PagedList<Member>; member: Member; self: boolean; onSelf: () => Promise<unknown> }) {
  const [role, setRole] = useState(member.role as Role);
  return (
    <>
      <Select label={`Role of ${member.email}`} value={role} options={rolesFor(session)} onChange={setRole} disabled={list.busy} />
      <button
        type="button"
        class="secondary"
        disabled={list.busy || role === member.role}
        onClick={async () => (await list.act(() => session.client.members.update(member.user_id, { role }), `${member.email} is now ${role}.`)) && self && onSelf()}
      >
        Change role
      </button>
    </>
  );
}
