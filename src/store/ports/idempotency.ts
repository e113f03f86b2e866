export interface IdempotencyRecord {
  fingerprint: Buffer;
  status: number;
  headers: Record<string, string>;
  /** Encrypted response body, or null for a response without one. */
  body: Buffer | null;
}

export interface IdempotencyStore {
  /**
   * Inside a transaction: waits until no other transaction holds `id`, then holds it until this
   * one ends. SQLite's writer lock (BEGIN IMMEDIATE) already serialises writers: nothing to do.
   * Throws RecordLocked when another transaction holds it past the busy timeout.
   */
  lock(id: Buffer): void;
  /** The live (unexpired) record, if any. */
  find(id: Buffer, now: string): IdempotencyRecord | undefined;
  /** Saves (or replaces an expired) record, and purges a bounded batch of expired ones. */
  save(id: Buffer, record: IdempotencyRecord, now: string, expiresAt: string): void;
}
