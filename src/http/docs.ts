import express, { type Router } from 'express';
import { readFileSync } from 'node:fs';
import swaggerUi from 'swagger-ui-express';
import type { OpenApiDocument } from '../contract/document';
import { readOnly, readOnlyRoute } from './readOnly';

const REDOC_BUNDLE = require.resolve('redoc/bundles/redoc.standalone.js');
// The bundle's sidebar footer loads Redocly's logo from their CDN. Pointed at an empty data: URL,
// the image fails to load and Redoc hides it, so the page makes no request to another host.
const REDOC_LOGO = 'https://cdn.redoc.ly/redoc/logo-mini.svg';

let redocBundle: string | undefined;
function offlineRedocBundle(): string {
  redocBundle ??= readFileSync(REDOC_BUNDLE, 'utf8').split(REDOC_LOGO).join('data:,');
  return redocBundle;
}

const redocPage = (title: string) => `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${title} reference</title>
  <style>body { margin: 0; padding: 0; }</style>
</head>
<body>
  <redoc spec-url="/openapi.json"></redoc>
  <script src="/redoc/redoc.standalone.js"></script>
</body>
</html>
`;

/**
 * The contract as served, and the two documentation UIs, all from this process and this
 * node_modules: nothing is fetched from a CDN, so the pages work offline.
 */
export function docsRouter(spec: OpenApiDocument): Router {
  const router = express.Router();
  // Rendered on first request: both take a good part of a second of start-up otherwise.
  let json: string | undefined;
  let yaml: string | undefined;
  const title = (spec.info as { title?: string } | undefined)?.title ?? 'API';

  readOnlyRoute(router, '/', (_req, res) => res.redirect(302, '/docs'));
  readOnlyRoute(router, '/openapi.json', (_req, res) => {
    res.type('application/json').send((json ??= JSON.stringify(spec, null, 2)));
  });
  readOnlyRoute(router, '/openapi.yaml', (_req, res) => {
    res.type('application/yaml').send((yaml ??= (require('yaml') as typeof import('yaml')).stringify(spec)));
  });
  router.use(
    '/docs',
    // Before Swagger UI: its page answers any method on any path under /docs.
    readOnly,
    swaggerUi.serveFiles(undefined, { swaggerOptions: { url: '/openapi.json' } }),
    swaggerUi.setup(undefined, {
      customSiteTitle: `${title} docs`,
      swaggerOptions: {
        url: '/openapi.json',
        persistAuthorization: true,
        displayRequestDuration: true,
        displayOperationId: true,
        filter: true,
        // `/docs#/<tag>/<operationId>` opens the operation: deprecation links point there.
        deepLinking: true,
      },
    }),
  );
  readOnlyRoute(router, '/redoc', (_req, res) => {
    res.type('html').send(redocPage(title));
  });
  readOnlyRoute(router, '/redoc/redoc.standalone.js', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=3600').type('application/javascript').send(offlineRedocBundle());
  });
  return router;
}
