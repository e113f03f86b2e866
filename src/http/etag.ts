import { createHash } from 'node:crypto';
import { errors } from '../errors';
/** A strong validator of the representation (a project, a member): any change to it changes the tag. */
export function etagOf(resource: object): string {
  return `"${createHash('sha256').update(JSON.stringify(resource)).digest('base64url').slice(0, 22)}"`;
}

/** RFC 9110 list match: `*` or one of the listed tags. `weak` ignores W/ prefixes (If-None-Match). */
export function etagMatches(header: string, etag: string, weak: boolean): boolean {
  if (header.trim() === '*') return true;
  return header.split(',').some((raw) => {
    let tag = raw.trim();
    if (weak) tag = tag.replace(/^W\//, '');
    return tag === etag;
  });
}

/**
 * A read that answers `304 Not Modified` (with the tag) when If-None-Match names the current
 * representation, else `200` with it and its ETag: getProject and getMember alike.
 */
export function conditionalRead<T extends object>(resource: T, ifNoneMatch: string | undefined) {
  const etag = etagOf(resource);
  if (ifNoneMatch && etagMatches(ifNoneMatch, etag, true)) return { status: 304 as const, headers: { ETag: etag } };
  return { status: 200 as const, body: { data: resource }, headers: { ETag: etag } };
}

/** If-Match on a write: 412 precondition_failed, naming the current tag, unless `current` still matches. */
export function requireMatch(ifMatch: string | undefined, current: object, resource: 'project' | 'member'): void {
  if (ifMatch && !etagMatches(ifMatch, etagOf(current), false)) throw errors.preconditionFailed(etagOf(current), resource);
}
