// `npm run release [-- VERSION]`: releases openapi.yaml as a new contract version
// (scripts/contract/release.ts): info.version, a CHANGELOG.md entry and contract/releases/<version>.yaml.
import { join } from 'node:path';
import { CHANGELOG } from './contract/changelog';
import { RELEASES, ROOT } from './contract/diff';
import { release } from './contract/release';

try {
  const { version, previous } = release({ contract: join(ROOT, 'openapi.yaml'), releases: RELEASES, changelog: CHANGELOG }, process.argv[2]);
  console.log(`released ${version} (previous ${previous}): info.version, CHANGELOG.md and contract/releases/${version}.yaml written.`);
} catch (err) {
  console.error(`release refused: ${(err as Error).message}.`);
  process.exit(1);
}
