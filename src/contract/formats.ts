import { fullFormats } from 'ajv-formats/dist/formats';

// The one range of instants every engine accepts: PostgreSQL's timestamptz refuses year 0 and
// SQLite compares the text, so the contract decides (see "Text and instants" in openapi.yaml).
const EARLIEST = Date.parse('0001-01-01T00:00:00.000Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');

const isDate = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A contract date-time or date (`YYYY-MM-DD`, midnight UTC) -> milliseconds since the epoch, or
 * undefined outside 0001-01-01 to 9999-12-31 in UTC (an offset can carry a valid text across),
 * or for a leap second, which Date cannot represent.
 */
export function instantMs(value: string): number | undefined {
  const ms = Date.parse(isDate.test(value) ? `${value}T00:00:00Z` : value);
  return ms >= EARLIEST && ms <= LATEST ? ms : undefined;
}

const dateTime = fullFormats['date-time'] as { validate: (s: string) => boolean };
const date = fullFormats.date as { validate: (s: string) => boolean };

/**
 * `date-time` and `date` as the request validator checks them: RFC 3339 (ajv-formats' full
 * check) and within the contract's range, so an instant no engine can store is a 400 at the
 * boundary, never a database error.
 */
export const instantFormats = {
  'date-time': { type: 'string', validate: (s: string) => dateTime.validate(s) && instantMs(s) !== undefined },
  date: { type: 'string', validate: (s: string) => date.validate(s) && instantMs(s) !== undefined },
} as const;
