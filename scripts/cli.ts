// Operator CLI: `npm run cli -- <command> [--flag value ...]`. Uses the same environment
// (DATA_DIR, DATABASE_PATH, ...) as the service, so it works on the service's database.
import { parseArgs } from 'node:util';
import { loadConfig, ConfigError } from '../src/config';
import { EmailTaken, LastOwner, type AsyncStore } from '../src/store/ports';
import { openAsyncSqliteStore } from '../src/store/sqlite/async';
import { openPgStore } from '../src/store/postgres';
import { changeMembership, checkNewPassword, createUserInWorkspace, inputRules } from '../src/identity/users';
import { InvalidInputError } from '../src/identity/inputRules';
import type { Config } from '../src/config';
import { secretsAsEnv } from '../src/secrets';
import { hashPassword } from '../src/auth/passwords';
import { isRole, type Role } from '../src/contract/enums';
import { roleValues } from '../generated/openapi';

const ROLES: readonly Role[] = roleValues;

const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  create-user --email E --password P [--workspace NAME] [--role ${ROLES.join('|')}]
      Creates a user. The workspace NAME is created when none has that name (default "Default");
      the user becomes its owner unless --role says otherwise. Prints {"user_id","workspace_id"}.
  add-member --email E --workspace NAME_OR_ID [--role ${ROLES.join('|')}]
      Adds an existing user to a workspace (default role member), or changes their role there.
      A changed role applies to the user's next request, also with tokens issued before.
  remove-member --email E --workspace NAME_OR_ID
      Removes the user from the workspace; their tokens for it stop working at once.
      A workspace always keeps at least one owner: neither command removes or demotes its last one.
  list-users
      Prints every user with their memberships, one JSON object per line.
  set-password --email E --password P
      Replaces a user's password and ends all of their sessions.
  generate-secrets
      Prints new JWT_PRIVATE_KEY, CURSOR_KEY and PEPPER lines for an environment file: every
      instance of a deployment needs the same ones (one instance alone keeps them in DATA_DIR).

Emails and workspace names follow the API contract's rules. A new password needs at least
PASSWORD_MIN_LENGTH characters (default 12), at most 1024 bytes, and must not be a common
password, one repeated character or the email address.

Environment: DATA_DIR (default ./data) or DATABASE_PATH select the database, as for the service.`;

class UsageError extends Error {}

function required(values: Record<string, string | undefined>, name: string): string {
  const v = values[name];
  if (!v) throw new UsageError(`--${name} is required`);
  return v;
}

function role(value: string | undefined, fallback: Role): Role {
  if (value === undefined) return fallback;
  if (!isRole(value)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
  return value;
}

function email(value: string): string {
  inputRules()('email', value);
  return value.toLowerCase();
}

async function userAndWorkspace(store: AsyncStore, values: Record<string, string | undefined>) {
  const found = await store.identity.findUserByEmail(email(required(values, 'email')));
  if (!found) throw new UsageError(`no user with email ${values.email}`);
  const ref = required(values, 'workspace');
  let workspace = await store.identity.getWorkspace(ref);
  if (!workspace) {
    // Not an id: then it must be a name the contract allows, or nothing could ever match it.
    inputRules()('workspaceName', ref);
    workspace = await store.identity.findWorkspaceByName(ref);
  }
  if (!workspace) throw new UsageError(`no workspace with id or name ${ref}`);
  return { user: found.user, workspace };
}

async function run(store: AsyncStore, config: Config, command: string, values: Record<string, string | undefined>) {
  switch (command) {
    case 'create-user': {
      const created = await createUserInWorkspace(store, {
        email: email(required(values, 'email')),
        password: required(values, 'password'),
        workspace: values.workspace ?? 'Default',
        role: role(values.role, 'owner'),
        passwordHashCost: config.passwordHashCost,
        passwordMinLength: config.passwordMinLength,
      });
      return [created];
    }
    case 'add-member': {
      const { user, workspace } = await userAndWorkspace(store, values);
      const r = role(values.role, 'member');
      await changeMembership(store, user.id, workspace.id, r);
      return [{ user_id: user.id, workspace_id: workspace.id, role: r }];
    }
    case 'remove-member': {
      const { user, workspace } = await userAndWorkspace(store, values);
      if (!(await changeMembership(store, user.id, workspace.id, null))) {
        throw new UsageError(`${values.email} is not a member of ${values.workspace}`);
      }
      return [{ user_id: user.id, workspace_id: workspace.id, removed: true }];
    }
    case 'list-users':
      return Promise.all((await store.identity.listUsers()).map(async (u) => ({ ...u, memberships: await store.identity.membershipsOf(u.id) })));
    case 'set-password': {
      const address = email(required(values, 'email'));
      const password = required(values, 'password');
      checkNewPassword(password, config.passwordMinLength, address);
      const found = await store.identity.findUserByEmail(address);
      if (!found) throw new UsageError(`no user with email ${values.email}`);
      const hash = await hashPassword(password, config.passwordHashCost);
      const revoked = await store.transaction(async (tx) => {
        await tx.identity.setPasswordHash(found.user.id, hash);
        return tx.sessions.revokeAllForUser(found.user.id, 'password_changed');
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
  if (parsed.positionals[0] === 'generate-secrets') {
    process.stdout.write(secretsAsEnv() + '\n');
    return 0;
  }
  const config = loadConfig();
  const store = config.databaseUrl ? await openPgStore(config.databaseUrl) : openAsyncSqliteStore(config.databasePath);
  try {
    const rows = await run(store, config, parsed.positionals[0], parsed.values as Record<string, string | undefined>);
    for (const row of rows) process.stdout.write(JSON.stringify(row) + '\n');
    return 0;
  } catch (err) {
    if (err instanceof UsageError || err instanceof InvalidInputError) {
      process.stderr.write(`${err.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (err instanceof EmailTaken) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    if (err instanceof LastOwner) {
      const { email, workspace } = parsed.values;
      const why = 'a workspace always keeps at least one owner: make another member owner first';
      process.stderr.write(`${email} is the last owner of workspace ${workspace}, and ${why}.\n`);
      return 1;
    }
    throw err;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(err instanceof ConfigError ? `${err.message}\n` : `${err instanceof Error ? err.stack : err}\n`);
    process.exit(err instanceof ConfigError ? 2 : 1);
  },
);
