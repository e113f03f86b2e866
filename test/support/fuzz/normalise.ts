import type { WireRequest, WireResponse } from './client';
import { ANY_ID } from './refs';

/** Fields whose value is the clock's (when something happened), not the request's. */
const CLOCK_FIELDS = new Set(['created_at', 'updated_at', 'last_used_at', 'rotated_at', 'created', 'next_attempt_at', 'failing_since', 'previous_secret_expires_at', 'at', 'started_at', 'finished_at']);
/** Fields that hold a secret, or part of one, drawn at random by each app. */
const SECRET_FIELDS = new Set(['key', 'secret', 'access_token', 'refresh_token', 'prefix', 'last4', 'token']);
/** Secrets as requests carry them (refresh tokens, API keys), and cursors, which each app signs. */
const SECRETS = /\brt_[A-Za-z0-9_-]{10,}|\bcp_(live|test)_[0-9A-Za-z]{38}\b|(?<=[?&]cursor=)[^&\s]+/g;
/** Seconds left until an instant of the clock: equal to the minute (the two requests are not sent at the same time). */
const COUNTDOWN_FIELDS = new Set(['expires_in', 'refresh_expires_in']);
/** An ETag (a hash of the stored row with its clock fields) quoted in a message. */
const ETAG = /"[A-Za-z0-9_-]{22}"/g;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const DAY = 86_400_000;

/**
 * What two apps may answer differently for the same request and still agree: ids (each app draws
 * its own, so each is named by its order of first appearance in that app's exchanges: `prj#3`),
 * timestamps of the clock, request ids, secrets, keys, tokens and cursors. Everything else must be
 * the same.
 */
export function normaliser() {
  const names = new Map<string, string>();
  const counts = new Map<string, number>();

  const name = (id: string) => {
    if (id.startsWith('req_')) return '<request id>';
    let n = names.get(id);
    if (!n) {
      const prefix = id.slice(0, id.indexOf('_'));
      const count = (counts.get(prefix) ?? 0) + 1;
      counts.set(prefix, count);
      names.set(id, (n = `${prefix}#${count}`));
    }
    return n;
  };
  const text = (s: string) => s.replace(ANY_ID, name);

  // An invitation expires a fixed time after it is made: by the clock, like created_at. (An API
  // key's expires_at is the client's, and compared.)
  const clocked = (holder: object, field: string) => field === 'expires_at' && String((holder as { id?: unknown }).id).startsWith('inv_');

  function value(v: unknown, field?: string): unknown {
    if (typeof v === 'string') {
      if (field && SECRET_FIELDS.has(field)) return '<secret>';
      if (field === 'next_cursor' || field === 'request_id') return `<${field}>`;
      if (field && CLOCK_FIELDS.has(field)) return '<time>';
      // A timestamp of the run itself wherever it appears (a message, an echo of `now`).
      if (INSTANT.test(v) && Math.abs(Date.parse(v) - Date.now()) < DAY) return '<time>';
      return text(v).replace(ETAG, '"<etag>"');
    }
    if (typeof v === 'number' && field && COUNTDOWN_FIELDS.has(field)) return `~${Math.round(v / 60)} min`;
    if (Array.isArray(v)) return v.map((x) => value(x));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [text(k), clocked(v, k) ? '<time>' : value(x, k)]));
    return v;
  }

  return {
    /** Names these ids now, in this order (the state both apps were given before the run). */
    learn(ids: string[]): void {
      for (const id of ids) name(id);
    },
    /** The request as compared: its ids named in the order they appear. */
    request(wire: WireRequest): string {
      return text(`${wire.method.toUpperCase()} ${wire.url} ${wire.body?.toString('utf8') ?? ''}`).replace(SECRETS, '<secret>');
    },
    /** Status, error code and body, with what legitimately differs replaced. */
    response(res: WireResponse): { status: number; code?: string; body: unknown } {
      return { status: res.status, code: res.json?.error?.code, body: res.json === undefined ? text(res.text) : value(res.json) };
    },
  };
}

export type Normaliser = ReturnType<typeof normaliser>;
