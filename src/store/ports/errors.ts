// The domain errors a store throws, the same on every engine. They know nothing of HTTP: the
// edge (src/http/errorEnvelope.ts) maps each to the catalogue error a client sees.

/** The workspace already has a project with this slug. */
export class SlugTaken extends Error {
  constructor(readonly slug: string) {
    super(`Another project in this workspace already uses the slug '${slug}'.`);
    this.name = 'SlugTaken';
  }
}

export class EmailTaken extends Error {
  constructor(readonly email: string) {
    super(`A user with email ${email} already exists.`);
    this.name = 'EmailTaken';
  }
}

/** Refused: the change would leave the workspace without an owner, so nobody could manage it. */
export class LastOwner extends Error {
  constructor(readonly userId: string, readonly workspaceId: string) {
    super(`User ${userId} is the last owner of workspace ${workspaceId}; a workspace always keeps at least one owner.`);
    this.name = 'LastOwner';
  }
}

/** The workspace already has an open invitation for this email. */
export class AlreadyInvited extends Error {
  constructor(readonly email: string) {
    super(`${email} already has a pending invitation to this workspace.`);
    this.name = 'AlreadyInvited';
  }
}

/**
 * The database could not be had in time for a transaction (SQLite: another process held the write
 * lock past the busy timeout). Transient; the caller decides what it means for its request.
 */
export class Busy extends Error {
  constructor() {
    super('the database is busy');
    this.name = 'Busy';
  }
}

/**
 * Another request holds the lock of the same idempotency record past the busy timeout: that
 * request is still running (not the database being busy as a whole).
 */
export class RecordLocked extends Error {
  constructor() {
    super('the record is locked by another request');
    this.name = 'RecordLocked';
  }
}
