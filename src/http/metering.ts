import type { RequestHandler } from 'express';
import type { Meter } from '../metering/meter';
import { operationOf } from './operationMatcher';
import { principalOf } from './security';
import { principalId } from '../auth/principal';

/** Counts every finished request of an operation for the caller's workspace; anonymous ones are not counted. */
export function meterRequests(meter: Meter): RequestHandler {
  return (req, res, next) => {
    res.on('finish', () => {
      const op = operationOf(res);
      const principal = principalOf(req);
      if (!op || !principal) return;
      meter.record({
        workspaceId: principal.workspaceId,
        principalId: principalId(principal),
        operationId: op.operationId,
        status: res.statusCode,
      });
    });
    next();
  };
}
