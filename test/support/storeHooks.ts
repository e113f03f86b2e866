import type { Aggregates, AsyncStore } from '../../src/store/ports';

type Name = keyof Aggregates;

/**
 * The store with aggregate `name` replaced by `wrap(real)`, outside transactions and inside them
 * alike: handlers of idempotent writes use the transaction's aggregates.
 */
export function overrideAggregate<K extends Name>(real: AsyncStore, name: K, wrap: (aggregate: Aggregates[K]) => Aggregates[K]): AsyncStore {
  return {
    ...real,
    [name]: wrap(real[name]),
    transaction: (fn) => real.transaction((tx) => fn({ ...tx, [name]: wrap(tx[name]) })),
  };
}

/** The store, except that `method` of aggregate `name` throws `new Error(message)` while `when()` is true. */
export function failingMethod<K extends Name>(name: K, method: keyof Aggregates[K], message = 'secret internal detail', when = () => true) {
  return (real: AsyncStore): AsyncStore =>
    overrideAggregate(real, name, (aggregate) => ({
      ...aggregate,
      [method]: (...args: unknown[]) => {
        if (when()) throw new Error(message);
        return (aggregate[method] as (...a: unknown[]) => unknown)(...args);
      },
    }));
}
