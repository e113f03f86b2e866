// Where each operation of the contract lives in the SDK. OPERATIONS is generated from each
// operation's `x-sdk`; MethodPath, the client's actual methods, is what its `satisfies` holds it to,
// so an entry naming a method the client lacks, or a missing operationId, does not compile.
import type { CloudApi } from './client.js';

type Methods<T> = { [M in keyof T]: T[M] extends (...args: never[]) => unknown ? M & string : never }[keyof T];
/** `namespace.method` for every method of every namespace of the client. */
export type MethodPath = { [N in keyof CloudApi]: `${N & string}.${Methods<CloudApi[N]>}` }[keyof CloudApi];

export { OPERATIONS } from './generated/operations.js';
