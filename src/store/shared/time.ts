/**
 * A time as the API shows it (RFC 3339 UTC, milliseconds). Times given to a store may be any RFC
 * 3339 form (`...:00Z`, an offset); SQLite compares them as text, which is time order only in this one.
 */
export const iso = (time: string): string => new Date(time).toISOString();

/** `iso` for an optional time. */
export const isoOrNull = (time: string | null): string | null => (time === null ? null : iso(time));
