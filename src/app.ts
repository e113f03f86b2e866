import express, { type Express } from 'express';
import helmet from 'helmet';
import * as OpenApiValidator from 'express-openapi-validator';
import type { Config } from './config';
import type { Logger } from './logger';
import type { Secrets } from './secrets';
import type { Store } from './store';
import { createAccessTokenService } from './auth/accessTokens';
import { createAuthService, type AuthService } from './auth/authService';
import { createCursorCodec } from './http/cursor';
import { API_PREFIX, checkHandlers, listOperations, loadSpec, SPEC_PATH } from './http/spec';
import { bindOperations } from './http/bind';
import { authenticateEarly, createSecurityHandlers } from './http/security';
import { createApiKeyService } from './auth/apiKeyService';
import { createPrincipalResolver } from './auth/resolvePrincipal';
import { requestId } from './http/requestId';
import { accessLog } from './http/accessLog';
import { errorHandler, notFound } from './http/errorHandler';
import { docsRouter } from './http/docs';
import { healthRouter } from './http/health';
import { handlers } from './handlers';

export interface AppDeps {
  config: Config;
  store: Store;
  secrets: Secrets;
  logger: Logger;
  specPath?: string;
  /** Overrides the handler map; for tests of the start-up checks. */
  handlers?: Record<string, unknown>;
}

export interface App {
  app: Express;
  auth: AuthService;
}

/**
 * Builds the HTTP application from the contract. No side effects: no listening, no timers.
 * Throws SpecError when the contract is unreadable or an operation has no handler.
 */
export function createApp(deps: AppDeps): App {
  const { config, store, secrets, logger } = deps;
  const spec = loadSpec(deps.specPath ?? SPEC_PATH);
  const operations = listOperations(spec);
  const handlerMap = deps.handlers ?? handlers;
  checkHandlers(operations, handlerMap);

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
  app.use(requestId());
  app.use(accessLog(logger));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // The docs pages are served from here only; Redoc runs its search in a blob: worker.
          'worker-src': ["'self'", 'blob:'],
          'img-src': ["'self'", 'data:'],
          'upgrade-insecure-requests': null,
        },
      },
    }),
  );

  app.use(docsRouter(spec));
  app.use(healthRouter(() => store.isReady()));

  app.use(
    express.json({ limit: config.bodyLimitBytes, type: ['application/json', 'application/*+json'], strict: true }),
  );
  app.use(authenticateEarly(resolvePrincipal));
  app.use(
    OpenApiValidator.middleware({
      // The validator gets its own copy: it resolves and annotates the document it is given.
      apiSpec: structuredClone(spec) as never,
      // Query and path parameters are still converted from text; JSON bodies must have the right types.
      validateRequests: { allowUnknownQueryParameters: false, coerceTypes: false },
      validateResponses: config.validateResponses ? { removeAdditional: false } : false,
      validateSecurity: { handlers: createSecurityHandlers(resolvePrincipal) as never },
      validateFormats: true,
      ajvFormats: { mode: 'full' },
      ignoreUndocumented: false,
    }),
  );
  const router = express.Router();
  bindOperations(router, operations, handlerMap as typeof handlers, {
    config,
    store,
    auth,
    apiKeys,
    cursors: createCursorCodec(secrets.cursorKey),
    logger,
  });
  app.use(router);
  app.use(notFound());
  app.use(errorHandler(logger, config.bodyLimitBytes));
  return { app, auth };
}
