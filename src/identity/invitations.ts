import { createHmac, randomBytes } from 'node:crypto';
import type { DirectAggregates, Invitation } from '../store/ports';
import { createCredentialCheck } from '../auth/credentialCheck';
import { hashPassword } from '../auth/passwords';
import { passwordProblem } from '../auth/passwordPolicy';
import { errors } from '../errors';

const TOKEN_PREFIX = 'cpi_';

/** A pending invitation whose token and password checked out, before anything is written. */
export interface Acceptance {
  invitation: Invitation;
  workspaceId: string;
  /** The account the email already has; otherwise `passwordHash` is the new account's. */
  userId?: string;
  passwordHash?: string;
}

export interface InvitationService {
  /** A new token (`cpi_` and 32 random bytes, shown once) and the hash that is stored instead. */
  newToken(): { token: string; hash: Buffer };
  /** When an invitation made now expires. */
  expiresAt(nowMs: number): string;
  /**
   * Checks a token and password without writing anything (so it runs outside the transaction):
   * the token must be pending, and the password must be the account's, or, for an email without
   * an account, meet the password policy (400 weak_password, which only a valid token reaches).
   * Every other failure is `401 invalid_invitation`, after the same time.
   */
  check(store: DirectAggregates, token: string, password: string): Promise<Acceptance>;
}

export function createInvitationService(opts: {
  pepper: Buffer;
  passwordHashCost: number;
  passwordMinLength: number;
  ttlSeconds: number;
  now?: () => number;
}): InvitationService {
  const now = opts.now ?? Date.now;
  const hash = (token: string) => createHmac('sha256', opts.pepper).update(`invitation:${token}`).digest();
  const credentials = createCredentialCheck(opts.passwordHashCost);
  return {
    newToken() {
      const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
      return { token, hash: hash(token) };
    },
    expiresAt: (nowMs) => new Date(nowMs + opts.ttlSeconds * 1000).toISOString(),
    async check(store, token, password) {
      const started = credentials.start();
      const found = await store.invitations.findByTokenHash(hash(token), new Date(now()).toISOString());
      const pending = found?.invitation.status === 'pending' ? found : undefined;
      const account = pending && (await store.identity.findUserByEmail(pending.invitation.email));
      if (pending && !account) {
        const problem = passwordProblem(password, { minLength: opts.passwordMinLength }, pending.invitation.email);
        if (problem) throw errors.weakPassword(problem);
        // One scrypt, as a verification costs: a new account takes as long as a failure.
        return { ...pending, passwordHash: await hashPassword(password, opts.passwordHashCost) };
      }
      const ok = await credentials.verify(password, account ? account.passwordHash : undefined);
      if (pending && account && ok) return { ...pending, userId: account.user.id };
      await credentials.fail(started);
      throw errors.invalidInvitation();
    },
  };
}
