import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fromRoot } from '../paths';

/**
 * The contract parsed at build time: `npm run build` writes dist/openapi.json, the document as JSON
 * with the SHA-256 of the openapi.yaml text it came from. Parsing the YAML is the largest single
 * cost of starting (about 0.3 s); JSON.parse takes a few milliseconds. The snapshot is used only
 * when its hash matches the file being loaded, so an edited contract is never served stale.
 */
export const SNAPSHOT_PATH = fromRoot('dist', 'openapi.json');

export interface Snapshot {
  source_sha256: string;
  document: unknown;
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The snapshot's document when it was made from exactly `yamlText`; undefined otherwise (or when there is none). */
export function snapshotOf(yamlText: string, path = SNAPSHOT_PATH): unknown {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  let snapshot: Snapshot;
  try {
    snapshot = JSON.parse(raw) as Snapshot;
  } catch {
    return undefined; // a damaged build output: the YAML is still there
  }
  return snapshot.source_sha256 === sha256(yamlText) ? snapshot.document : undefined;
}

export function renderSnapshot(yamlText: string, document: unknown): string {
  return JSON.stringify({ source_sha256: sha256(yamlText), document } satisfies Snapshot);
}
