import { randomBytes } from 'node:crypto';
import { hashPassword, needsRehash, verifyPassword } from './passwords';
import { createLoginTiming, type LoginTiming } from './loginTiming';

/**
 * A password check whose failures all take the same time, whatever made them fail: an unknown
 * account still pays for one scrypt at the current cost (a decoy), and failures are then padded to
 * the floor of `timing` (see loginTiming). Login and accepting an invitation both check this way,
 * so neither tells an attacker which accounts exist.
 */
export interface CredentialCheck {
  /** A clock reading, taken when the request's work starts, to pass to `fail`. */
  start(): number;
  /** Verifies `password` against `stored`, or against the decoy when there is no account. */
  verify(password: string, stored: string | undefined): Promise<boolean>;
  /** Waits out the floor since `started`: every failure ends at the same time. */
  fail(started: number): Promise<void>;
}

export function createCredentialCheck(passwordHashCost: number, timing: LoginTiming = createLoginTiming()): CredentialCheck {
  let decoyHash: Promise<string> | undefined;
  const decoy = () => (decoyHash ??= hashPassword(randomBytes(16).toString('hex'), passwordHashCost));
  const verifyTimed = async (password: string, stored: string) => {
    const started = timing.start();
    const ok = await verifyPassword(password, stored);
    if (!needsRehash(stored, passwordHashCost)) timing.record(started);
    return ok;
  };
  return {
    start: () => timing.start(),
    async verify(password, stored) {
      // The floor is unknown until one verification at the current cost was timed.
      if (timing.empty) await verifyTimed(password, await decoy());
      return verifyTimed(password, stored ?? (await decoy()));
    },
    fail: (started) => timing.pad(started),
  };
}
