// orval's configuration for the generator gate: the fetch client, header parameters typed
// (Idempotency-Key, If-Match), and the mutator that adds the base URL and the credential.
const { join } = require('node:path');

const root = join(__dirname, '..', '..', '..');
const out = join(root, 'temp', 'clients', 'orval');

module.exports = {
  cloudApi: {
    input: { target: join(root, 'openapi.yaml') },
    output: {
      target: join(out, 'gen', 'api.ts'),
      client: 'fetch',
      mode: 'single',
      headers: true,
      override: { mutator: { path: join(out, 'fetcher.ts'), name: 'customFetch' } },
    },
  },
};
