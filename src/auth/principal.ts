import type { Role, Scope } from './scopes';

/** Who is calling, in which workspace, with what rights. Set by the security handler. */
export interface Principal {
  type: 'user';
  userId: string;
  workspaceId: string;
  role: Role;
  scopes: readonly Scope[];
  sessionId: string;
}
