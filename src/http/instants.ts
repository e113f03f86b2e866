import { errors } from '../errors';
import { instantMs } from '../contract/formats';

/**
 * RFC 3339 instant (or a `YYYY-MM-DD` date, meaning midnight UTC) -> milliseconds since the epoch.
 * The request validator already refused what is outside the contract's range; this is the same
 * rule (`instantMs`) for values that reach a handler another way, as a 400 naming `pointer`.
 */
export function parseInstant(value: string, pointer: string): number {
  const ms = instantMs(value);
  if (ms === undefined) {
    throw errors.validationFailed([
      { pointer, code: 'format', message: 'must be an instant from 0001-01-01 to 9999-12-31 UTC, without a leap second' },
    ]);
  }
  return ms;
}

/** The stored form, `YYYY-MM-DDTHH:mm:ss.sssZ`, whose text order is time order. */
export function storedInstant(value: string, pointer: string): string {
  return new Date(parseInstant(value, pointer)).toISOString();
}

/** An optional instant query parameter in its stored form (400 naming `/query/<param>` when malformed). */
export const queryInstant = (value: string | undefined, param: string): string | undefined =>
  value === undefined ? undefined : storedInstant(value, `/query/${param}`);
