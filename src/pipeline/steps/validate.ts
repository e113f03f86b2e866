import type { Express, Request, RequestHandler, Response } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import type { Step } from '../context';
import type { OpenApiDocument } from '../../http/spec';
import { middlewareStep, type LateError } from '../middleware';
import { withHeadOperations } from '../../http/head';
import { strictContract } from '../../contract/strict';
import { forRequestValidation, forResponseValidation } from '../../contract/forValidation';
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

/** express-openapi-validator's middlewares for one contract: built once, shareable by apps serving it. */
export interface ContractValidators {
  requests: RequestHandler[];
  /** Holds responses to the strict form of the contract; absent where responses are not validated. */
  responses?: RequestHandler[];
}

/**
 * The validators of `spec`. Each compiles an operation's schemas on its first request, which is
 * most of the cost of a new app: apps of one contract (tests build hundreds) can share them.
 * `checkContract`: the validator checks the document against the OpenAPI 3.1 schema first
 * (development and tests; the production start skips it, as CI checked the same file).
 */
export function createContractValidators(spec: OpenApiDocument, withResponses: boolean, checkContract = true): ContractValidators {
  skipUnusedContractSchema();
  const requests = OpenApiValidator.middleware({
    ...OPTIONS,
    validateApiSpec: checkContract,
    // The validator gets its own copy: it resolves and annotates the document it is given.
    // HEAD is validated as the GET of the same path (RFC 9110).
    apiSpec: forRequestValidation(withHeadOperations(spec)) as never,
    // Query and path parameters are still converted from text; JSON bodies must have the right types.
    validateRequests: { allowUnknownQueryParameters: false, coerceTypes: false },
    validateResponses: false,
  }) as RequestHandler[];
  if (!withResponses) return { requests };
  const responses = OpenApiValidator.middleware({
    ...OPTIONS,
    validateApiSpec: checkContract,
    apiSpec: forResponseValidation(strictContract(spec)) as never,
    validateRequests: false,
    validateResponses: { removeAdditional: false },
    // The request step already answered 404 and 405; this one only checks responses.
    ignoreUndocumented: true,
  }) as RequestHandler[];
  return { requests, responses };
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
  return Promise.all([validators.requests, validators.responses].flatMap((chain) => (chain ? [loaded(chain[0])] : []))).then(() => undefined);
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
