// The domain errors a store throws, the same on every engine. They know nothing of HTTP: the
// edge (src/http/errorEnvelope.ts) maps each to its catalogue error.

export { SlugTakenError } from '../../errors';

export class EmailTakenError extends Error {
  constructor(email: string) {
    super(`A user with email ${email} already exists.`);
  }
}

/** Refused: the change would leave the workspace without an owner, so nobody could manage it. */
export class LastOwnerError extends Error {
  constructor(readonly userId: string, readonly workspaceId: string) {
    super(`User ${userId} is the last owner of workspace ${workspaceId}; a workspace always keeps at least one owner.`);
    this.name = 'LastOwnerError';
  }
}

/**
 * The database could not be had in time for a transaction (SQLite: another process held the write
 * lock past the busy timeout). Transient; the caller decides what it means for its request.
 */
export class StoreBusyError extends Error {
  constructor() {
    super('the database is busy');
    this.name = 'StoreBusyError';
  }
}

/**
 * Another request holds the lock of the same idempotency record past the busy timeout: that
 * request is still running (not the database being busy as a whole).
 */
export class RecordLockedError extends Error {
  constructor() {
    super('the record is locked by another request');
    this.name = 'RecordLockedError';
  }
}
