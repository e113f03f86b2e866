import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { renderSnapshot, snapshotOf } from '../../src/contract/snapshot';
import { SPEC_PATH } from '../../src/contract/document';

// dist/openapi.json (npm run build): the contract parsed once, used only for the very text it came from.
describe('contract snapshot', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'cloud-api-snapshot-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the parsed contract for the text it was made from, the same document the YAML parser gives', () => {
    const text = readFileSync(SPEC_PATH, 'utf8');
    const file = join(dir, 'openapi.json');
    writeFileSync(file, renderSnapshot(text, parse(text)));
    assert.deepEqual(snapshotOf(text, file), parse(text));
  });

  it('gives nothing for any other text, a damaged file or no file: the YAML is parsed instead', () => {
    const text = readFileSync(SPEC_PATH, 'utf8');
    const file = join(dir, 'openapi.json');
    writeFileSync(file, renderSnapshot(text, parse(text)));
    assert.equal(snapshotOf(text.replace('Cloud API', 'Cloud API!'), file), undefined);
    writeFileSync(file, '{"source_sha256":');
    assert.equal(snapshotOf(text, file), undefined);
    assert.equal(snapshotOf(text, join(dir, 'missing.json')), undefined);
  });
});
