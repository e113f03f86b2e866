import type { Meter } from '../../metering/meter';
import type { Step } from '../context';
import { principalId } from '../../auth/principal';

/**
 * Counts every finished request of a secured operation for the caller's workspace, whatever its
 * status. Anonymous requests (no or refused credentials) are not counted.
 */
export function meter(usage: Meter): Step {
  return (ctx) => {
    ctx.res.on('finish', () => {
      const { principal } = ctx;
      if (!principal) return;
      usage.record({
        workspaceId: principal.workspaceId,
        principalId: principalId(principal),
        operationId: ctx.op.operationId,
        status: ctx.res.statusCode,
      });
    });
  };
}
