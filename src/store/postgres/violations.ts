import { bracketed, type Queryable } from './db';

/** PostgreSQL's unique_violation (23505), on the named constraint or index when one is given. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: string; constraint?: string };
  return e?.code === '23505' && (constraint === undefined || e.constraint === constraint);
}

/**
 * Runs a statement that may break a constraint the caller expects (a taken slug or email). Inside
 * a transaction PostgreSQL would abort the whole transaction on that error, so the statement gets
 * a savepoint of its own: the error is thrown and the transaction goes on (an idempotent write
 * still stores its 409). On the pool (autocommit) nothing needs undoing.
 */
export async function withSavepoint<T>(db: Queryable, run: () => Promise<T>): Promise<T> {
  if (!('release' in db)) return run();
  const savepoint = 'expected_violation';
  return bracketed(db, { begin: `SAVEPOINT ${savepoint}`, end: `RELEASE SAVEPOINT ${savepoint}`, undo: `ROLLBACK TO SAVEPOINT ${savepoint}` }, run);
}
