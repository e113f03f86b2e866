import type { AsyncStore } from '../store/ports';
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
    return { user_id: user.id, workspace_id: workspace.id };
  });
}
