import express, { type Express, type RequestHandler } from 'express';
import * as OpenApiValidator from 'express-openapi-validator';
import type { Config } from './config';
import type { Logger } from './logger';
import type { Secrets } from './secrets';
import type { AsyncStore } from './store/async';
import { createAccessTokenService } from './auth/accessTokens';
import { createAuthService } from './auth/authService';
import { createCursorCodec } from './http/cursor';
import { API_PREFIX, checkHandlers, listOperations, loadSpec, SPEC_PATH } from './http/spec';
import { dispatchOperations } from './http/bind';
import { strictContract } from './contract/strict';
import { authenticateEarly, requireSecurity } from './http/security';
import { createApiKeyService } from './auth/apiKeyService';
import { createPrincipalResolver } from './auth/resolvePrincipal';
import { requestId } from './http/requestId';
import { requireWellFormedBody } from './http/wellFormedBody';
import { fixedHeaders, helmetHeaders } from './http/securityHeaders';
import { accessLog } from './http/accessLog';
import { errorHandler, notFound } from './http/errorHandler';
import { docsRouter } from './http/docs';
import { healthRouter } from './http/health';
import { jwksRouter } from './http/jwks';
import { handlers } from './handlers';
import { operationMatcher, operationOf } from './http/operationMatcher';
import { deprecationHeaders, readDeprecations, withDeprecationNotes } from './http/deprecation';
import { withHeadOperations } from './http/head';
import { rememberRouteRegexps } from './http/routeRegexpCache';
import { readRateLimits, withRateLimitDescriptions, type RateLimitPolicy } from './http/rateLimit/policies';
import { createLimiter, memoryBuckets } from './http/rateLimit/limiter';
import { rateLimit } from './http/rateLimit/middleware';
import { redisBuckets } from './http/rateLimit/redisBuckets';
import type { Redis } from 'ioredis';
import { meterRequests } from './http/metering';
import { createMeter, type Meter } from './metering/meter';
import { createIdempotency } from './idempotency/idempotency';

export interface AppDeps {
  config: Config;
  store: AsyncStore;
  secrets: Secrets;
  logger: Logger;
  specPath?: string;
  /** The Redis client for rate limits when `config.rateLimitStore` is `redis` (the caller owns it). */
  redis?: Redis;
  /** Overrides the handler map; for tests of the start-up checks. */
  handlers?: Record<string, unknown>;
  /** Runs first on every request; tests check every response against the strict contract with it. */
  inspect?: RequestHandler;
}

export interface App {
  app: Express;
  /** Usage counters: the caller starts its flush timer and stops it (flushing) on shutdown. */
  meter: Meter;
  /** Headers every response carries whatever the request (security headers), for the server's own answers. */
  fixedHeaders: [string, string][];
}

/**
 * Builds the HTTP application from the contract. No side effects: no listening, no timers.
 * Throws SpecError when the contract is unreadable or an operation has no handler.
 */
export function createApp(deps: AppDeps): App {
  // The one process-wide change: route compilations are remembered (idempotent, see the module).
  rememberRouteRegexps();
  const { config, store, secrets, logger } = deps;
  const spec = loadSpec(deps.specPath ?? SPEC_PATH);
  const operations = listOperations(spec);
  const handlerMap = deps.handlers ?? handlers;
  checkHandlers(operations, handlerMap);
  const limits = scaleLimits(readRateLimits(spec, operations), config.rateLimitMultiplier);
  const deprecations = readDeprecations(spec, operations, config.publicUrl);
  // What /docs, /redoc and /openapi.json serve: the contract with each operation's limit and
  // deprecation in words.
  const servedSpec = withDeprecationNotes(withRateLimitDescriptions(spec, operations, limits), operations, deprecations);

  const accessTokens = createAccessTokenService({
    privateKey: secrets.jwtPrivateKey,
    publicKey: secrets.jwtPublicKey,
    keyId: secrets.jwtKeyId,
    issuer: config.publicUrl,
    audience: `${config.publicUrl}${API_PREFIX}`,
    ttlSeconds: config.accessTokenTtlSeconds,
  });
  const auth = createAuthService({
    store,
    accessTokens,
    pepper: secrets.pepper,
    passwordHashCost: config.passwordHashCost,
    refreshIdleTtlSeconds: config.refreshIdleTtlSeconds,
    refreshAbsoluteTtlSeconds: config.refreshAbsoluteTtlSeconds,
  });

  const apiKeys = createApiKeyService(store.apiKeys, secrets.pepper);
  const resolvePrincipal = createPrincipalResolver(auth, apiKeys);

  const app = express();
  if (deps.inspect) app.use(deps.inspect);
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', config.trustProxy);
  // Express answers 304 from res.send when the request is "fresh" (If-None-Match: * matches any
  // representation). Only operations that document 304 send it, from their handler.
  Object.defineProperty(app.request, 'fresh', { configurable: true, get: () => false });
  const security = helmetHeaders({
    contentSecurityPolicy: {
      directives: {
        // The docs pages are served from here only; Redoc runs its search in a blob: worker.
        'worker-src': ["'self'", 'blob:'],
        'img-src': ["'self'", 'data:'],
        'upgrade-insecure-requests': null,
      },
    },
  });
  app.use(requestId());
  app.use(accessLog(logger));
  app.use(fixedHeaders(security));

  // Documentation, health and JWKS live outside the API prefix: API requests skip their routes.
  const site = express.Router();
  // Served with this deployment's absolute base URL, so generators and mock servers need no configuration.
  const servers = [{ ...(spec.servers as object[] | undefined)?.[0], url: `${config.publicUrl}${API_PREFIX}` }];
  site.use(docsRouter({ ...servedSpec, servers }));
  site.use(healthRouter(() => store.isReady()));
  site.use(jwksRouter(secrets.jwtPublicKey, secrets.jwtKeyId));
  const apiPath = new RegExp(`^${API_PREFIX}(/|$)`, 'i');
  app.use((req, res, next) => (apiPath.test(req.path) ? next() : site(req, res, next)));

  const meter = createMeter(store.usage, logger, { flushIntervalMs: config.usageFlushIntervalMs });
  const limiter = createLimiter(
    config.rateLimitStore === 'redis' && deps.redis
      ? redisBuckets(deps.redis, config.redisKeyPrefix)
      : config.rateLimitStore === 'database'
        ? (p) => store.rateLimitBucket(p)
        : memoryBuckets,
  );
  // Before the validator: rate limiting and metering must see every request of an operation,
  // valid or not, and authentication comes first because both are partitioned by caller.
  app.use(operationMatcher(operations));
  if (deprecations.size) app.use(deprecationHeaders(deprecations));
  app.use(authenticateEarly(resolvePrincipal));
  app.use(meterRequests(meter));
  app.use(rateLimit(limits, limiter, 'caller'));
  // A body is read only for an operation that defines one; elsewhere it is ignored (RFC 9110
  // gives content on GET and DELETE no meaning), so it cannot cause a 400, 413 or 415 there.
  const json = express.json({ limit: config.bodyLimitBytes, type: ['application/json', 'application/*+json'], strict: true });
  app.use((req, res, next) => (operationOf(res)?.requestBody ? json(req, res, next) : next()));
  app.use(rateLimit(limits, limiter, 'account'));
  app.use(requireSecurity(operations, spec, resolvePrincipal));
  app.use(requireWellFormedBody());
  const validatorOptions = {
    // Security is enforced by requireSecurity from the same contract, once per request.
    validateSecurity: false,
    validateFormats: true,
    ajvFormats: { mode: 'full' },
    ignoreUndocumented: false,
  } as const;
  app.use(
    OpenApiValidator.middleware({
      ...validatorOptions,
      // The validator gets its own copy: it resolves and annotates the document it is given.
      // HEAD is validated as the GET of the same path (RFC 9110), and listed in 405's Allow.
      apiSpec: withHeadOperations(spec) as never,
      // Query and path parameters are still converted from text; JSON bodies must have the right types.
      validateRequests: { allowUnknownQueryParameters: false, coerceTypes: false },
      validateResponses: false,
    }),
  );
  if (config.validateResponses) {
    // Requests are held to the published contract; our own responses to its strict form (no
    // undeclared property, no enum value this version does not know), so none can leak a field.
    app.use(
      OpenApiValidator.middleware({
        ...validatorOptions,
        apiSpec: strictContract(spec) as never,
        validateRequests: false,
        validateResponses: { removeAdditional: false },
        // The request validator above already answered 404 and 405; this one only checks responses.
        ignoreUndocumented: true,
      }),
    );
  }
  app.use(
    dispatchOperations(operations, handlerMap as typeof handlers, {
      config,
      store,
      auth,
      apiKeys,
      idempotency: createIdempotency({
        pepper: secrets.pepper,
        retentionSeconds: config.idempotencyRetentionSeconds,
      }),
      cursors: createCursorCodec(secrets.cursorKey),
      logger,
    }),
  );
  app.use(notFound());
  app.use(errorHandler(logger, config.bodyLimitBytes));
  return { app, meter, fixedHeaders: security };
}

function scaleLimits(limits: Map<string, RateLimitPolicy[]>, multiplier: number): Map<string, RateLimitPolicy[]> {
  if (multiplier === 1) return limits;
  return new Map([...limits].map(([op, ps]) => [op, ps.map((p) => ({ ...p, limit: p.limit * multiplier }))]));
}
