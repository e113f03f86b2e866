import { newId } from '../ids';

const WELL_FORMED = /^[\x21-\x7e]{1,128}$/;

/** The incoming X-Request-Id when well-formed, otherwise a new one; every response carries it. */
export function requestIdFor(incoming: string | string[] | undefined): string {
  return typeof incoming === 'string' && WELL_FORMED.test(incoming) ? incoming : newId('req');
}
