import assert from 'node:assert/strict';
import express from 'express';
import helmet, { type HelmetOptions } from 'helmet';
import request from 'supertest';
import { securityHeaders } from '../../src/http/securityHeaders';

async function headersOf(middleware: express.RequestHandler, path = '/'): Promise<Record<string, unknown>> {
  const app = express();
  app.disable('x-powered-by');
  app.use(middleware);
  app.get(path, (_req, res) => void res.send('ok'));
  const { headers } = await request(app).get(path).expect(200);
  delete headers.date;
  return headers;
}

describe('security headers (securityHeaders)', () => {
  const variants: [string, HelmetOptions][] = [
    ['defaults', {}],
    ['the service options', { contentSecurityPolicy: { directives: { 'worker-src': ["'self'", 'blob:'], 'upgrade-insecure-requests': null } } }],
    ['HSTS off, frameguard deny', { strictTransportSecurity: false, frameguard: { action: 'deny' } }],
  ];
  for (const [name, options] of variants) {
    it(`sends exactly helmet's headers, in helmet's order (${name})`, async () => {
      const expected = await headersOf(helmet(options));
      const actual = await headersOf(securityHeaders(options));
      assert.deepEqual(Object.entries(actual), Object.entries(expected));
      assert.ok('content-security-policy' in actual || options.contentSecurityPolicy === false);
    });
  }

  it('refuses options whose headers depend on the request (a CSP directive computed per request)', () => {
    const perRequest = () => "'nonce-abc'";
    assert.throws(
      () => securityHeaders({ contentSecurityPolicy: { directives: { 'script-src': ["'self'", perRequest] } } }),
      /computed per request/,
    );
  });
});
