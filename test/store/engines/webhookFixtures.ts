import type { NewEvent, AttemptOutcome, NewEndpoint } from '../../../src/store/ports';

/** RFC 3339 UTC with milliseconds: the one form every time leaves a store in. */
export const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

export const sealed = (n: number) => Buffer.alloc(40, n);

export const endpoint = (enabledEvents: string[], n = 1): NewEndpoint => ({
  url: `https://hooks.example.com/${n}`,
  description: `hook ${n}`,
  enabledEvents,
  secret: sealed(n),
});

export const event = (workspaceId: string, type: NewEvent['type'] = 'project.created', extra: Partial<NewEvent> = {}): NewEvent => ({
  type,
  workspaceId,
  object: { id: 'prj_1', name: 'Payments' },
  requestId: 'req_1',
  idempotencyKey: null,
  ...extra,
});

/** `ms` from now (negative: ago), as the API writes times. */
export const fromNow = (ms: number) => new Date(Date.now() + ms).toISOString();

export const failure = (attemptedAt: string, nextAttemptAt: string | null, status: 'pending' | 'failed' = 'pending'): AttemptOutcome => ({
  attempt: { attempt: 0, attempted_at: attemptedAt, response_status: 500, duration_ms: 12, response_body: 'oops', error: null },
  status,
  nextAttemptAt,
});

export const success = (attemptedAt: string): AttemptOutcome => ({
  attempt: { attempt: 0, attempted_at: attemptedAt, response_status: 204, duration_ms: 8, response_body: null, error: null },
  status: 'succeeded',
  nextAttemptAt: null,
});
