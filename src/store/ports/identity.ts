import type { components } from '../../../generated/openapi';

export type Role = components['schemas']['Role'];
export type User = components['schemas']['User'];
export type Workspace = components['schemas']['Workspace'];
// The contract's role is an open enum (later versions may add roles); a stored one is a role this version knows.
export type Membership = Omit<components['schemas']['Membership'], 'role'> & { role: Role };

export interface UserWithHash {
  user: User;
  passwordHash: string;
}

/** Users, workspaces and who belongs where. */
export interface IdentityStore {
  createWorkspace(name: string): Workspace;
  getWorkspace(id: string): Workspace | undefined;
  findWorkspaceByName(name: string): Workspace | undefined;
  /** Throws EmailTaken when another user has the email, in any letter case. */
  createUser(email: string, passwordHash: string): User;
  getUser(id: string): User | undefined;
  findUserByEmail(email: string): UserWithHash | undefined;
  setPasswordHash(userId: string, passwordHash: string): boolean;
  /** Compare-and-set: replaces the hash only while it is still `expected` (re-hash on login). */
  replacePasswordHash(userId: string, expected: string, passwordHash: string): boolean;
  listUsers(): User[];
  countUsers(): number;
  /**
   * Adds the membership, or changes the role of an existing one. Throws LastOwner, changing
   * nothing, when that would demote the workspace's last owner (the one place that rule is kept).
   */
  setMembership(userId: string, workspaceId: string, role: Role): void;
  /** False when there was no such membership; LastOwner for the workspace's last owner. */
  removeMembership(userId: string, workspaceId: string): boolean;
  getRole(userId: string, workspaceId: string): Role | undefined;
  /** Oldest first. */
  membershipsOf(userId: string): Membership[];
}
