// The console's build: `npm run build` runs it (scripts/console/bundle.ts), so `npm ci` leaves a
// working console in dist/console with nothing fetched at run time.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('.'),
  // Served by the service under /console (src/http/console.ts).
  base: '/console/',
  publicDir: false,
  resolve: {
    // The SDK's TypeScript source, not its dist/: the console is then always built against the
    // contract of this very checkout (sdk/src/generated comes from openapi.yaml), and needs no
    // SDK build first. sdk/package.json's "sideEffects": false lets the bundler drop what the
    // console never imports (webhook verification and its standardwebhooks dependency).
    alias: { '@cloud-api/sdk': here('../sdk/src/index.ts') },
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: here('../dist/console'),
    emptyOutDir: true,
    target: 'es2022',
    // One entry script and one stylesheet, both same-origin files: nothing inline for the CSP to refuse.
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
  logLevel: 'warn',
});
