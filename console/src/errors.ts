// Errors in words: what happened and what to do, from the SDK's typed errors.
import { isApiError, NetworkError, TimeoutError } from '@cloud-api/sdk';

function seconds(value: string | null): string {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) return 'a moment';
  return n === 1 ? '1 second' : n < 120 ? `${Math.ceil(n)} seconds` : `${Math.ceil(n / 60)} minutes`;
}

export function describeError(err: unknown): string {
  if (isApiError(err)) {
    switch (err.code) {
      case 'invalid_credentials':
        return 'Wrong email or password.';
      case 'rate_limited':
        return `Too many requests. Wait ${seconds(err.headers.get('retry-after'))} and try again.`;
      case 'precondition_failed':
        return 'Someone changed this since you opened it (412 Precondition Failed): your change was not saved.';
      case 'insufficient_scope':
        return `You are not allowed to do this: ${err.message}`;
      case 'insufficient_role':
        return `Your role does not allow this: ${err.message}`;
      case 'last_owner':
        return 'The last owner cannot be removed or demoted: make someone else an owner first.';
      case 'already_member':
        return 'This email already belongs to a member of the workspace.';
      case 'already_invited':
        return 'This email already has a pending invitation: revoke it to invite again.';
    }
    const fields = (err.details ?? []).map((d) => `${'field' in d && d.field ? `${d.field}: ` : ''}${d.message}`);
    const detail = fields.length ? ` ${fields.join('; ')}.` : '';
    return `${err.message}${detail} (${err.status} ${err.code}, request ${err.requestId ?? 'unknown'})`;
  }
  if (err instanceof TimeoutError) return 'The service took too long to answer. Try again.';
  if (err instanceof NetworkError) return 'The service could not be reached. Check your connection and try again.';
  return err instanceof Error ? err.message : String(err);
}
