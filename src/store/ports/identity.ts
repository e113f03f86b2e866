import type { components } from '../../../generated/openapi';
import type { KeysetPosition } from './keyset';

export type Role = components['schemas']['Role'];
export type User = components['schemas']['User'];
export type Workspace = components['schemas']['Workspace'];
// The contract's role is an open enum (later versions may add roles); a stored one is a role this version knows.
export type Membership = Omit<components['schemas']['Membership'], 'role'> & { role: Role };

/** A user's membership of one workspace, as the members API shows it. */
export type Member = Omit<components['schemas']['Member'], 'role'> & { role: Role };

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
  /** Adds the membership unless the user already has one: false then, and the role is left alone. */
  addMembership(userId: string, workspaceId: string, role: Role): boolean;
  /**
   * False when there was no such membership; LastOwner for the workspace's last owner. The user's
   * sessions in the workspace end with it (a later membership does not bring them back).
   */
  removeMembership(userId: string, workspaceId: string): boolean;
  getRole(userId: string, workspaceId: string): Role | undefined;
  /** Oldest first. */
  membershipsOf(userId: string): Membership[];
  /** The workspace's members, newest first (joined_at, then user_id as the keyset's id), of one role or all. */
  listMembers(workspaceId: string, role: Role | undefined, after: KeysetPosition | undefined, limit: number): Member[];
  getMember(workspaceId: string, userId: string): Member | undefined;
  /** getMember, with the membership locked until the transaction ends (for a read-compare-write). */
  getMemberForUpdate(workspaceId: string, userId: string): Member | undefined;
}
