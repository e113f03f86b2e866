// Guards for the contract's closed enums that the service reads back from tokens, the database or
// the contract's own extensions: the values are the generated ones, never a copy.
import { roleValues, scopeValues, type components } from '../../generated/openapi';

export type Scope = components['schemas']['Scope'];
export type Role = components['schemas']['Role'];

export function isScope(value: string): value is Scope {
  return (scopeValues as readonly string[]).includes(value);
}

export function isRole(value: unknown): value is Role {
  return (roleValues as readonly unknown[]).includes(value);
}
