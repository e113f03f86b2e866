import express, { type Express, type RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import type { Config } from './config';
import type { Logger } from './logger';
import type { Secrets } from './secrets';
import type { AsyncStore } from './store/ports';
import type { Tracing } from './tracing/port';
import { checkHandlers, type AnyHandler, type WebhookTools } from './pipeline/handler';
import { createWebhookSecrets } from './webhooks/secrets';
import { checkWebhookUrl } from './webhooks/addressGuard';
import { createAccessTokenService } from './auth/accessTokens';
import { createAuthService } from './auth/authService';
import { createInvitationService } from './identity/invitations';
import { createApiKeyService } from './auth/apiKeyService';
import { createPrincipalResolver } from './auth/resolvePrincipal';
import { createCursorCodec } from './http/cursor';
import { API_PREFIX, loadSpec, SPEC_PATH } from './contract/document';
import { compileOperations } from './contract/operations';
import { helmetHeaders } from './http/securityHeaders';
import { docsRouter } from './http/docs';
import { consoleRouter } from './http/console';
import { healthRouter } from './http/health';
import { jwksRouter } from './http/jwks';
import { handlers } from '../generated/handlers';
import { withDeprecationNotes } from './contract/deprecations';
import { rememberRouteRegexps } from './http/routeRegexpCache';
import { readEventScopes } from './contract/eventScopes';
import { withRateLimitDescriptions } from './contract/rateLimits';
import { createLimiter, memoryBuckets } from './http/rateLimit/limiter';
import { redisBuckets } from './http/rateLimit/redisBuckets';
import { createMeter, type Meter } from './metering/meter';
import { createIdempotency } from './idempotency/idempotency';
import { buildPipelines, type Pipeline } from './pipeline/build';
import { createRouter } from './contract/router';
import { createSender } from './pipeline/send';
import { requestEntry } from './pipeline/entry';
import { dispatchDirectly } from './http/dispatch';
import { createContractValidators, validatorsReady, type ContractValidators } from './pipeline/steps/validate';
import { createCors } from './http/cors';
import { createMetrics, type Metrics } from './metrics/metrics';
import { metricsRouter, type MetricsText } from './metrics/endpoint';
import { timeRequests } from './metrics/requests';

export interface AppDeps {
  config: Config;
  store: AsyncStore;
  secrets: Secrets;
  logger: Logger;
  specPath?: string;
  /** OpenTelemetry, when config.tracing turned it on (src/tracing/start.ts). */
  tracing?: Tracing;
  /** The Redis client for rate limits when `config.rateLimitStore` is `redis` (the caller owns it). */
  redis?: Redis;
  /**
   * express-openapi-validator for this contract, when the caller shares one between apps of the
   * same contract (tests: each new instance compiles every schema again on first use).
   */
  validators?: ContractValidators;
  /** Overrides the handler map; for tests of the start-up checks. */
  handlers?: Record<string, unknown>;
  /** Runs first on every request; tests check every response against the strict contract with it. */
  inspect?: RequestHandler;
  /** Called after a commit that queued webhook deliveries (main wakes the delivery worker). */
  deliveriesQueued?: () => void;
  /** The process's metrics (main adds Node's default metrics to its registry); a new set by default. */
  metrics?: Metrics;
  /** What GET /metrics serves (a worker: every worker's, aggregated); this app's registry by default. */
  metricsText?: MetricsText;
}

export interface App {
  app: Express;
  /** Usage counters: the caller starts its flush timer and stops it (flushing) on shutdown. */
  meter: Meter;
  /** Headers every response carries whatever the request (security headers), for the server's own answers. */
  fixedHeaders: [string, string][];
  /** Each operation's steps, as built from the contract. */
  pipelines: Map<string, Pipeline>;
  metrics: Metrics;
  /** Resolves once the request validator has loaded the contract (it starts on its own); rejects with its error. */
  ready: () => Promise<void>;
}

/**
 * Builds the HTTP application from the contract. No side effects: no listening, no timers.
 * Throws SpecError when the contract is unreadable or an operation has no handler.
 */
export function createApp(deps: AppDeps): App {
  // One of two process-wide patches of library internals (both idempotent; the other,
  // skipUnusedContractSchema, is applied where the validators are made): route compilations are remembered.
  rememberRouteRegexps();
  const { config, store, secrets, logger } = deps;
  const spec = loadSpec(deps.specPath ?? SPEC_PATH);
  const operations = compileOperations(spec, { rateLimitMultiplier: config.rateLimitMultiplier, publicUrl: config.publicUrl });
  const router = createRouter(operations);
  const handlerMap = deps.handlers ?? handlers;
  checkHandlers(operations, handlerMap);
  // What /docs, /redoc and /openapi.json serve: the contract with each operation's limit and
  // deprecation in words.
  const servedSpec = withDeprecationNotes(withRateLimitDescriptions(spec, operations), operations);

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

  // Documentation, health and JWKS live outside the API prefix.
  const site = express.Router();
  // Served with this deployment's absolute base URL, so generators and mock servers need no configuration.
  const servers = [{ ...(spec.servers as object[] | undefined)?.[0], url: `${config.publicUrl}${API_PREFIX}` }];
  const metrics = deps.metrics ?? createMetrics();
  const { token: metricsToken, port: metricsPort } = config.metrics;
  // With METRICS_PORT, /metrics is served there (by main or the primary), not here.
  if (metricsToken !== undefined && metricsPort === undefined) {
    site.use(metricsRouter(metricsToken, deps.metricsText ?? (() => metrics.registry.metrics())));
  }
  site.use(docsRouter({ ...servedSpec, servers }));
  const consoleSite = config.console ? consoleRouter() : undefined;
  if (consoleSite) site.use(consoleSite);
  site.use(healthRouter(() => store.isReady()));
  site.use(jwksRouter(secrets.jwtPublicKey, secrets.jwtKeyId));
  const apiPath = new RegExp(`^${API_PREFIX}(/|$)`, 'i');

  const around = deps.tracing?.around;
  const meter = createMeter(store.usage, logger, { flushIntervalMs: config.usageFlushIntervalMs, flushed: metrics.usageFlushed, around });
  const limiter = createLimiter(
    config.rateLimitStore === 'redis' && deps.redis
      ? redisBuckets(deps.redis, config.redisKeyPrefix)
      : config.rateLimitStore === 'database'
        ? (p) => store.rateLimitBucket(p)
        : memoryBuckets,
  );
  const validators = deps.validators ?? createContractValidators(spec, config.validateResponses, config.env !== 'production');
  // Tests share validators with response checks on; an app configured without them checks none.
  const sender = createSender(logger, config.bodyLimitBytes, config.validateResponses ? validators.responses : undefined, metrics);
  const pipelines = buildPipelines(operations, {
    spec,
    validators,
    bodyLimitBytes: config.bodyLimitBytes,
    limiter,
    resolvePrincipal,
    meter,
    handlers: handlerMap as Record<string, AnyHandler>,
    handlerDeps: {
      config,
      auth,
      apiKeys,
      invitations: createInvitationService({
        pepper: secrets.pepper,
        passwordHashCost: config.passwordHashCost,
        passwordMinLength: config.passwordMinLength,
        ttlSeconds: config.invitationTtlSeconds,
      }),
      cursors: createCursorCodec(secrets.cursorKey),
      logger,
      webhooks: webhookTools(deps),
      eventScopes: readEventScopes(spec),
    },
    store,
    idempotency: createIdempotency({ pepper: secrets.pepper, retentionSeconds: config.idempotencyRetentionSeconds }),
    metrics,
    around,
  });
  const cors = createCors(config.corsOrigins, spec, operations, router);
  dispatchDirectly(
    app,
    requestEntry({
      site,
      isApi: (path) => apiPath.test(path),
      router,
      pipelines,
      sender,
      logger,
      fixedHeaders: cors ? [...security, ...cors.fixedHeaders] : security,
      cors,
      // Requests are timed only where metrics are served: not at all by default.
      observe: metricsToken !== undefined || metricsPort !== undefined ? timeRequests(metrics) : undefined,
      serve: deps.tracing?.serve,
    }),
    deps.inspect,
  );
  return { app, meter, fixedHeaders: security, pipelines, metrics, ready: () => validatorsReady(validators, app) };
}

function webhookTools(deps: AppDeps): WebhookTools {
  const { allowPrivate, requireHttps, maxEndpoints } = deps.config.webhooks;
  const secrets = createWebhookSecrets(deps.secrets.pepper);
  return {
    generateSecret: () => secrets.generate(),
    checkUrl: async (url) => void (await checkWebhookUrl(url, { allowPrivate, requireHttps })),
    maxEndpoints,
    wake: deps.deliveriesQueued ?? (() => {}),
  };
}
