import type { Request } from 'express';
import type { DeprecatedParameter, OperationDeprecations } from '../../contract/deprecations';
import type { Step } from '../context';

const used = (req: Request, p: DeprecatedParameter) =>
  p.in === 'header' ? req.headers[p.name] !== undefined : (req.query as Record<string, unknown>)[p.name] !== undefined;

/**
 * Deprecation, Sunset and Link rel="deprecation" on every response of a deprecated operation, and
 * on every response to a request that used a deprecated parameter (of several, the earliest
 * sunset). The sender adds them, errors included. Only deprecated operations have this step.
 */
export function announceDeprecation(found: OperationDeprecations): Step {
  return (ctx) => {
    let chosen = found.operation;
    for (const p of found.parameters) {
      if (used(ctx.req, p) && (!chosen || p.deprecation.sunset < chosen.sunset)) chosen = p.deprecation;
    }
    ctx.deprecation = chosen;
  };
}
