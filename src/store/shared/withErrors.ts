import type { Aggregates } from '../ports';

/**
 * The aggregates with every method's rejection passed through `map` (which throws what the
 * caller should see), so an engine's error never leaves the store as itself.
 */
export function withErrors(aggregates: Aggregates, map: (err: unknown) => never): Aggregates {
  const wrap = (aggregate: object) =>
    Object.fromEntries(
      Object.entries(aggregate).map(([name, fn]) => [
        name,
        typeof fn === 'function'
          ? async (...args: unknown[]) => {
              try {
                return await fn.apply(aggregate, args);
              } catch (err) {
                map(err);
              }
            }
          : fn,
      ]),
    );
  return Object.fromEntries(Object.entries(aggregates).map(([name, aggregate]) => [name, wrap(aggregate)])) as Aggregates;
}
