// `npm run release [-- VERSION]`: releases openapi.yaml as a new contract version
// (scripts/contract/release.ts): info.version, the generated types and SDK version, a CHANGELOG.md
// entry and contract/releases/<version>.yaml.
import { join } from 'node:path';
import { CHANGELOG } from './contract/changelog';
import { RELEASES, ROOT } from './contract/diff';
import { TARGETS } from './contract/generate';
import { release } from './contract/release';

release({ contract: join(ROOT, 'openapi.yaml'), releases: RELEASES, changelog: CHANGELOG, generated: TARGETS }, process.argv[2]).then(
  ({ version, previous }) =>
    console.log(
      `released ${version} (previous ${previous}): info.version, generated/, sdk/ (types and version), CHANGELOG.md and contract/releases/${version}.yaml written.`,
    ),
  (err: Error) => {
    console.error(`release refused: ${err.message}.`);
    process.exit(1);
  },
);
