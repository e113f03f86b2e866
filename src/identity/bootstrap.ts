import { randomBytes } from 'node:crypto';
import type { Config } from '../config';
import type { AsyncStore } from '../store/ports';
import { createUserInWorkspace } from './users';

export const DEV_OWNER_EMAIL = 'owner@example.com';

/**
 * On a database without users, a newcomer must still be able to log in. In development we create
 * an owner with a random password and print it once (it is not logged and not stored in clear);
 * in production we print the CLI command instead of creating anything.
 */
export async function ensureFirstUser(store: AsyncStore, config: Config, print: (text: string) => void): Promise<void> {
  if ((await store.identity.countUsers()) > 0) return;
  const loginUrl = `${config.publicUrl}/docs`;
  if (config.env === 'production') {
    print(
      [
        'No users exist yet. Create the first owner with:',
        '  npm run cli -- create-user --email you@example.com --password "<a long password>" --workspace "My workspace"',
      ].join('\n'),
    );
    return;
  }
  // base64url: 4 characters per 3 bytes; at least 20 characters (120 bits), more if the policy asks.
  const password = randomBytes(Math.ceil((Math.max(20, config.passwordMinLength) * 3) / 4)).toString('base64url');
  await createUserInWorkspace(store, {
    email: DEV_OWNER_EMAIL,
    password,
    workspace: 'Development',
    role: 'owner',
    passwordHashCost: config.passwordHashCost,
    passwordMinLength: config.passwordMinLength,
  });
  print(
    [
      '',
      '  First start: created a development owner. This password is shown only now.',
      `    email:    ${DEV_OWNER_EMAIL}`,
      `    password: ${password}`,
      ...(config.console ? [`  Sign in with them at ${config.publicUrl}/console (the console in a browser).`] : []),
      `  Log in at ${loginUrl} (POST /auth/login, then Authorize with the access_token), or:`,
      `    curl -s ${config.publicUrl}/v1/auth/login -H 'Content-Type: application/json' \\`,
      `      -d '{"email":"${DEV_OWNER_EMAIL}","password":"${password}"}'`,
      '  Lost it? npm run cli -- set-password --email owner@example.com --password "<new password>"',
      '',
    ].join('\n'),
  );
}
