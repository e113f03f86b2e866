/**
 * The asynchronous form of a store interface: the same methods, each returning a promise. The
 * PostgreSQL store implements the SQLite store's interfaces in this form, so both engines keep
 * one definition of every aggregate.
 */
export type Async<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : T[K];
};
