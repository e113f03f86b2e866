import type { Store } from '../store';
import type { Role } from '../auth/scopes';
import { hashPassword } from '../auth/passwords';

export const MIN_PASSWORD_LENGTH = 8;

export interface CreatedUser {
  user_id: string;
  workspace_id: string;
}

/**
 * Creates a user and makes them `role` of the named workspace, creating the workspace when no
 * workspace has that name. Shared by the operator CLI and the first-start bootstrap.
 */
export async function createUserInWorkspace(
  store: Store,
  opts: { email: string; password: string; workspace: string; role: Role; passwordHashCost: number },
): Promise<CreatedUser> {
  if (opts.password.length < MIN_PASSWORD_LENGTH) {
    throw new Error(`password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  const hash = await hashPassword(opts.password, opts.passwordHashCost);
  return store.transaction(() => {
    const workspace = store.identity.findWorkspaceByName(opts.workspace) ?? store.identity.createWorkspace(opts.workspace);
    const user = store.identity.createUser(opts.email, hash);
    store.identity.setMembership(user.id, workspace.id, opts.role);
    return { user_id: user.id, workspace_id: workspace.id };
  });
}
