// Operator CLI: `npm run cli -- <command> [--flag value ...]`. Uses the same environment
// (DATA_DIR, DATABASE_PATH, ...) as the service, so it works on the service's database.
import { parseArgs } from 'node:util';
import { loadConfig, ConfigError } from '../src/config';
import { openStore, type Store } from '../src/store';
import { createUserInWorkspace, MIN_PASSWORD_LENGTH } from '../src/identity/users';
import { EmailTakenError } from '../src/store/identity';
import { hashPassword } from '../src/auth/passwords';
import type { Role } from '../src/auth/scopes';

const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  create-user --email E --password P [--workspace NAME] [--role owner|admin|member]
      Creates a user. The workspace NAME is created when none has that name (default "Default");
      the user becomes its owner unless --role says otherwise. Prints {"user_id","workspace_id"}.
  add-member --email E --workspace NAME_OR_ID [--role owner|admin|member]
      Adds an existing user to a workspace (default role member), or changes their role there.
  list-users
      Prints every user with their memberships, one JSON object per line.
  set-password --email E --password P
      Replaces a user's password and ends all of their sessions.

Environment: DATA_DIR (default ./data) or DATABASE_PATH select the database, as for the service.`;

class UsageError extends Error {}

const ROLES: readonly Role[] = ['owner', 'admin', 'member'];

function required(values: Record<string, string | undefined>, name: string): string {
  const v = values[name];
  if (!v) throw new UsageError(`--${name} is required`);
  return v;
}

function role(value: string | undefined, fallback: Role): Role {
  if (value === undefined) return fallback;
  if (!(ROLES as readonly string[]).includes(value)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
  return value as Role;
}

function email(value: string): string {
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) || value.length > 254) throw new UsageError(`not an email address: ${value}`);
  return value.toLowerCase();
}

function password(value: string): string {
  if (value.length < MIN_PASSWORD_LENGTH) throw new UsageError(`--password must be at least ${MIN_PASSWORD_LENGTH} characters`);
  return value;
}

async function run(store: Store, cost: number, command: string, values: Record<string, string | undefined>) {
  switch (command) {
    case 'create-user': {
      const created = await createUserInWorkspace(store, {
        email: email(required(values, 'email')),
        password: password(required(values, 'password')),
        workspace: values.workspace || 'Default',
        role: role(values.role, 'owner'),
        passwordHashCost: cost,
      });
      return [created];
    }
    case 'add-member': {
      const found = store.identity.findUserByEmail(email(required(values, 'email')));
      if (!found) throw new UsageError(`no user with email ${values.email}`);
      const ref = required(values, 'workspace');
      const workspace = store.identity.getWorkspace(ref) ?? store.identity.findWorkspaceByName(ref);
      if (!workspace) throw new UsageError(`no workspace with id or name ${ref}`);
      const r = role(values.role, 'member');
      store.identity.setMembership(found.user.id, workspace.id, r);
      return [{ user_id: found.user.id, workspace_id: workspace.id, role: r }];
    }
    case 'list-users':
      return store.identity.listUsers().map((u) => ({ ...u, memberships: store.identity.membershipsOf(u.id) }));
    case 'set-password': {
      const found = store.identity.findUserByEmail(email(required(values, 'email')));
      if (!found) throw new UsageError(`no user with email ${values.email}`);
      const hash = await hashPassword(password(required(values, 'password')), cost);
      const revoked = store.transaction(() => {
        store.identity.setPasswordHash(found.user.id, hash);
        return store.sessions.revokeAllForUser(found.user.id, 'password_changed');
      });
      return [{ user_id: found.user.id, sessions_revoked: revoked }];
    }
    default:
      throw new UsageError(command ? `unknown command: ${command}` : 'no command given');
  }
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: process.argv.slice(2),
      allowPositionals: true,
      options: {
        email: { type: 'string' },
        password: { type: 'string' },
        workspace: { type: 'string' },
        role: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (parsed.positionals.length !== 1) {
    process.stderr.write(`${parsed.positionals.length ? 'expected one command' : 'no command given'}\n\n${USAGE}\n`);
    return 2;
  }
  const config = loadConfig();
  const store = openStore(config.databasePath);
  try {
    const rows = await run(store, config.passwordHashCost, parsed.positionals[0], parsed.values as Record<string, string | undefined>);
    for (const row of rows) process.stdout.write(JSON.stringify(row) + '\n');
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (err instanceof EmailTakenError) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(err instanceof ConfigError ? `${err.message}\n` : `${err instanceof Error ? err.stack : err}\n`);
    process.exit(err instanceof ConfigError ? 2 : 1);
  },
);
