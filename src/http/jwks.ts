import express, { type Router } from 'express';
import type { KeyObject } from 'node:crypto';
import { readOnlyRoute } from './readOnly';

/**
 * The public half of the access-token signing key (RFC 7517), so that other services can verify
 * our ES256 tokens themselves. Outside the contract, like /docs: it is not part of the API.
 */
export function jwksRouter(publicKey: KeyObject, keyId: string): Router {
  const router = express.Router();
  const body = JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: keyId, alg: 'ES256', use: 'sig' }] });
  readOnlyRoute(router, '/.well-known/jwks.json', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').type('application/json').send(body);
  });
  return router;
}
