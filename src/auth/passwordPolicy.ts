/**
 * Rules for a new password, after NIST SP 800-63B 3.1.1.2: long enough, not absurdly long, not a
 * known common password, not one repeated character, not the account's own email; no composition
 * rules. Login does not apply them: an account keeps working with the password it has.
 */
export interface PasswordPolicy {
  minLength: number;
}

export const DEFAULT_MIN_PASSWORD_LENGTH = 12;
/** scrypt takes any length; the cap only keeps a login from hashing megabytes. */
export const MAX_PASSWORD_BYTES = 1024;

let common: Set<string> | undefined;
/**
 * zxcvbn-ts's list of ~49,000 passwords most often found in breaches, loaded on first use: only
 * the CLI and the first start set passwords, so the service does not hold it otherwise.
 */
function commonPasswords(): Set<string> {
  if (!common) {
    const { dictionary } = require('@zxcvbn-ts/language-common') as { dictionary: Record<string, string[]> };
    common = new Set(dictionary['passwords-common']);
  }
  return common;
}

/** Why `password` may not be set, in words for the person choosing it; undefined when it may. */
export function passwordProblem(password: string, policy: PasswordPolicy, email?: string): string | undefined {
  if (!password.isWellFormed()) return 'must be well-formed Unicode';
  const length = [...password].length;
  if (length < policy.minLength) return `must be at least ${policy.minLength} characters long`;
  if (Buffer.byteLength(password, 'utf8') > MAX_PASSWORD_BYTES) return `must be at most ${MAX_PASSWORD_BYTES} bytes long`;
  if (new Set(password).size === 1) return 'must not be one character repeated';
  const folded = password.toLowerCase();
  if (commonPasswords().has(folded)) return 'is one of the most common passwords; choose another';
  if (email && (folded === email.toLowerCase() || folded === email.toLowerCase().split('@')[0])) {
    return 'must not be the email address';
  }
  return undefined;
}
