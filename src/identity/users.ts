import type { Aggregates, AsyncStore, EventType, Member } from '../store/ports';
import type { Role } from '../auth/scopes';
import { hashPassword } from '../auth/passwords';
import { DEFAULT_MIN_PASSWORD_LENGTH, passwordProblem } from '../auth/passwordPolicy';
import { createInputRules, InvalidInputError, type InputRules } from './inputRules';

export interface CreatedUser {
  user_id: string;
  workspace_id: string;
}

let contractRules: InputRules | undefined;
/** The rules compiled from openapi.yaml, once per process (the file does not change while it runs). */
export const inputRules = (): InputRules => (contractRules ??= createInputRules());

/** Throws InvalidInputError when `password` may not be set for the account `email`. */
export function checkNewPassword(password: string, minLength: number, email?: string): void {
  const problem = passwordProblem(password, { minLength }, email);
  if (problem) throw new InvalidInputError('password', problem);
  inputRules()('password', password);
}

/**
 * Creates a user and makes them `role` of the named workspace, creating the workspace when no
 * workspace has that name. Shared by the operator CLI and the first-start bootstrap. Throws
 * InvalidInputError for what the API could not serve or log in with.
 */
export async function createUserInWorkspace(
  store: AsyncStore,
  opts: { email: string; password: string; workspace: string; role: Role; passwordHashCost: number; passwordMinLength?: number },
): Promise<CreatedUser> {
  const rules = inputRules();
  rules('email', opts.email);
  rules('workspaceName', opts.workspace);
  checkNewPassword(opts.password, opts.passwordMinLength ?? DEFAULT_MIN_PASSWORD_LENGTH, opts.email);
  const hash = await hashPassword(opts.password, opts.passwordHashCost);
  return store.transaction(async (tx) => {
    const existing = await tx.identity.findWorkspaceByName(opts.workspace);
    // A workspace always keeps at least one owner, from its first member on.
    if (!existing && opts.role !== 'owner') throw new InvalidInputError('role', 'must be owner for a new workspace, which needs an owner');
    const workspace = existing ?? (await tx.identity.createWorkspace(opts.workspace));
    const user = await tx.identity.createUser(opts.email, hash);
    await tx.identity.setMembership(user.id, workspace.id, opts.role);
    await memberEvent(tx, 'member.added', workspace.id, (await tx.identity.getMember(workspace.id, user.id))!);
    return { user_id: user.id, workspace_id: workspace.id };
  });
}

/**
 * An operator's change of membership (the CLI): `role`, or `null` to remove. It follows the API's
 * rules (the store keeps the last owner) and records the event the API would, in the same
 * transaction: `member.added`, `member.updated` with the previous role, or `member.removed`.
 * False when there was no membership to remove.
 */
export function changeMembership(store: AsyncStore, userId: string, workspaceId: string, role: Role | null): Promise<boolean> {
  return store.transaction(async (tx) => {
    const before = await tx.identity.getMemberForUpdate(workspaceId, userId);
    if (role === null) {
      if (!before || !(await tx.identity.removeMembership(userId, workspaceId))) return false;
      await memberEvent(tx, 'member.removed', workspaceId, before);
      return true;
    }
    await tx.identity.setMembership(userId, workspaceId, role);
    const after = (await tx.identity.getMember(workspaceId, userId))!;
    if (!before) await memberEvent(tx, 'member.added', workspaceId, after);
    else if (before.role !== role) await memberEvent(tx, 'member.updated', workspaceId, after, { role: before.role });
    return true;
  });
}

/** An event no request caused (an operator's change), in `tx`. */
async function memberEvent(tx: Aggregates, type: EventType, workspaceId: string, member: Member, previous?: { role: Role }) {
  await tx.events.append({ type, workspaceId, object: member, previousAttributes: previous, requestId: null, idempotencyKey: null });
}
