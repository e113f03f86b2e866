import { expectError } from '../helpers';

type Res = Parameters<typeof expectError>[0];

/**
 * expectError for table-driven tests: the failure names the case, and `pointer`, when given,
 * must be among the details' pointers.
 */
export function expectErrorFor(what: string, res: Res, status: number, code: string, pointer?: string) {
  try {
    const err = expectError(res, status, code);
    if (pointer !== undefined && !err.details.some((d: any) => d.pointer === pointer)) {
      throw new Error(`no detail with pointer ${pointer}: ${JSON.stringify(err.details)}`);
    }
    return err;
  } catch (e) {
    throw new Error(`${what}: ${(e as Error).message}`);
  }
}
