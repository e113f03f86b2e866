import type { Express, Request, RequestHandler, Response } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import type { Step } from '../context';
import type { OpenApiDocument } from '../../contract/document';
import { middlewareStep } from '../middleware';
import { withHeadOperations } from '../../http/head';
import { forRequestValidation } from '../../contract/forValidation';
import { compileResponseCheck, type ResponseCheck } from '../../contract/responses';
import { skipUnusedContractSchema } from '../../http/contractSchemaCheck';
import { errors } from '../../errors';
import { instantFormats } from '../../contract/formats';

const OPTIONS = {
  // Security is enforced by the authorize step from the same contract, once per request.
  validateSecurity: false,
  validateFormats: true,
  ajvFormats: { mode: 'full' },
  // After ajv-formats, so these replace its date-time and date with the contract's range.
  formats: instantFormats,
  ignoreUndocumented: false,
} as const;

/** What express-openapi-validator leaves on a request it matched to an operation. */
type ValidatedRequest = Request & { openapi?: { schema?: { operationId?: string }; pathParams?: Record<string, string> } };

/** The checks of one contract: built once, shareable by apps serving it. */
export interface ContractValidators {
  /** express-openapi-validator, for requests. */
  requests: RequestHandler[];
  /**
   * Holds responses to the strict form of the contract (src/contract/responses.ts, the check the
   * tests record every response with); absent where responses are not validated (production).
   */
  responses?: ResponseCheck;
}

/**
 * The validators of `spec`. Each compiles an operation's schemas on its first request, which is
 * most of the cost of a new app: apps of one contract (tests build hundreds) can share them.
 * express-openapi-validator checks requests only: matching a request is most of its cost per
 * request, and the contract's own check of responses needs no match (the pipeline knows the operation).
 * `checkContract`: the validator checks the document against the OpenAPI 3.1 schema first
 * (development and tests; the production start skips it, as CI checked the same file).
 */
export function createContractValidators(spec: OpenApiDocument, withResponses: boolean, checkContract = true): ContractValidators {
  skipUnusedContractSchema();
  const requests = OpenApiValidator.middleware(requestValidatorOptions(spec, checkContract)) as RequestHandler[];
  return { requests, responses: withResponses ? compileResponseCheck(spec) : undefined };
}

/** express-openapi-validator's options for requests (exported for scripts/bench/patches.ts). */
export function requestValidatorOptions(spec: OpenApiDocument, checkContract: boolean): Parameters<typeof OpenApiValidator.middleware>[0] {
  return {
    ...OPTIONS,
    validateApiSpec: checkContract,
    // The validator gets its own copy: it resolves and annotates the document it is given.
    // HEAD is validated as the GET of the same path (RFC 9110).
    apiSpec: forRequestValidation(withHeadOperations(spec)) as never,
    // Query and path parameters are still converted from text; JSON bodies must have the right types.
    validateRequests: { allowUnknownQueryParameters: false, coerceTypes: false },
    validateResponses: false,
  };
}

/**
 * Resolves when express-openapi-validator has loaded the contract, which it starts doing as soon
 * as it is created. Its first middleware waits for exactly that, then registers the contract's
 * path parameters on the app (`req.app`, all it reads of the request), as on a first request; it
 * passes a failure to load to `next`. The start waits for this before it reports ready.
 */
export function validatorsReady(validators: ContractValidators, app: Express): Promise<void> {
  const loaded = (first: RequestHandler) =>
    new Promise<void>((resolve, reject) => void first({ app } as unknown as Request, {} as Response, (err?: unknown) => (err ? reject(err) : resolve())));
  return loaded(validators.requests[0]);
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
