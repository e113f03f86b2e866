import type { Request, RequestHandler } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import type { Step } from '../context';
import type { OpenApiDocument } from '../../http/spec';
import { middlewareStep, type LateError } from '../middleware';
import { withHeadOperations } from '../../http/head';
import { strictContract } from '../../contract/strict';
import { errors } from '../../errors';

const OPTIONS = {
  // Security is enforced by the authorize step from the same contract, once per request.
  validateSecurity: false,
  validateFormats: true,
  ajvFormats: { mode: 'full' },
  ignoreUndocumented: false,
} as const;

/** What express-openapi-validator leaves on a request it matched to an operation. */
type ValidatedRequest = Request & { openapi?: { schema?: { operationId?: string }; pathParams?: Record<string, string> } };

/** express-openapi-validator's middlewares for one contract: built once, shareable by apps serving it. */
export interface ContractValidators {
  requests: RequestHandler[];
  /** Holds responses to the strict form of the contract; absent where responses are not validated. */
  responses?: RequestHandler[];
}

/**
 * The validators of `spec`. Each compiles an operation's schemas on its first request, which is
 * most of the cost of a new app: apps of one contract (tests build hundreds) can share them.
 */
export function createContractValidators(spec: OpenApiDocument, withResponses: boolean): ContractValidators {
  const requests = OpenApiValidator.middleware({
    ...OPTIONS,
    // The validator gets its own copy: it resolves and annotates the document it is given.
    // HEAD is validated as the GET of the same path (RFC 9110).
    apiSpec: withHeadOperations(spec) as never,
    // Query and path parameters are still converted from text; JSON bodies must have the right types.
    validateRequests: { allowUnknownQueryParameters: false, coerceTypes: false },
    validateResponses: false,
  }) as RequestHandler[];
  if (!withResponses) return { requests };
  const responses = OpenApiValidator.middleware({
    ...OPTIONS,
    apiSpec: strictContract(spec) as never,
    validateRequests: false,
    validateResponses: { removeAdditional: false },
    // The request step already answered 404 and 405; this one only checks responses.
    ignoreUndocumented: true,
  }) as RequestHandler[];
  return { requests, responses };
}

/**
 * express-openapi-validator checks every request against the contract (parameters, headers, body,
 * formats), and decodes the path parameters. Its own match must agree with the pipeline's: a
 * request it took for another operation goes no further than a 404.
 */
export function validateRequests(validators: ContractValidators): Step {
  const validator = middlewareStep(validators.requests);
  return async (ctx) => {
    await validator(ctx);
    const matched = (ctx.req as ValidatedRequest).openapi;
    if (matched?.schema?.operationId !== ctx.op.operationId) throw errors.routeNotFound(ctx.req.method, ctx.req.path);
    ctx.params = matched.pathParams ?? {};
  };
}

/**
 * Tests and development: our own responses are held to the strict form of the contract (no
 * undeclared property, no enum value this version does not know), so none can leak a field. The
 * check happens in res.json, which the sender uses when this step is present; a response that
 * breaks the contract is reported then, to `late`.
 */
export function validateResponses(validators: ContractValidators, late: LateError): Step | undefined {
  return validators.responses && middlewareStep(validators.responses, late);
}
