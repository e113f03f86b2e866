import { LastOwner } from '../ports';

/** Throws LastOwner when `userId` leaving the owners (read under the caller's lock) would leave none. */
export function keepAnOwner(owners: readonly string[], userId: string, workspaceId: string): void {
  if (owners.length === 1 && owners[0] === userId) throw new LastOwner(userId, workspaceId);
}
