import { errors } from '../errors';

/**
 * RFC 3339 instant (or a `YYYY-MM-DD` date, meaning midnight UTC) -> milliseconds since the epoch.
 * The validator's date-time check lets through values Date cannot parse (a leap second
 * `23:59:60`) or that an offset carries outside years 0000-9999 in UTC (`+010000-...`, which is
 * no contract date-time and compares wrongly as text): those are a 400 naming `pointer`.
 */
export function parseInstant(value: string, pointer: string): number {
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (!/^\d{4}-/.test(Number.isNaN(ms) ? '' : new Date(ms).toISOString())) {
    throw errors.validationFailed([
      {
        pointer,
        code: 'format',
        message: 'must be an instant from 0000-01-01 to 9999-12-31 UTC, without a leap second',
      },
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
