import { createHash } from 'node:crypto';
import type { Project } from '../store/ports';

/** A strong validator of the representation: any change to the project changes it. */
export function etagOf(project: Project): string {
  return `"${createHash('sha256').update(JSON.stringify(project)).digest('base64url').slice(0, 22)}"`;
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
