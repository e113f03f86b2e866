import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { renderEntry, where } from '../../scripts/contract/changelog';
import { diffContracts } from '../../scripts/contract/diff';
import { widgets } from './changelogFixtures';

type Doc = ReturnType<typeof widgets>;

describe('the CHANGELOG.md entry (npm run release)', function () {
  this.timeout(60_000);
  let dir: string;
  let base: string;
  let tightenings: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'cloud-api-changelog-'));
    base = join(dir, 'base.yaml');
    writeFileSync(base, stringify(widgets()));
    tightenings = join(dir, 'tightenings.yaml');
    writeFileSync(tightenings, stringify([{ release: '0.2.0', why: 'Names are bounded.', constraints: [{ property: 'maxLength', value: 64 }] }]));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** The entry for widgets() changed by `change`, as release 0.2.0. */
  function entry(change: (doc: Doc) => void): { text: string; diff: ReturnType<typeof diffContracts> } {
    const doc = widgets('0.2.0');
    change(doc);
    const file = join(dir, `revision-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(file, stringify(doc));
    const diff = diffContracts(base, file, tightenings);
    return { text: renderEntry('0.2.0', '2026-12-01', diff), diff };
  }

  const lines = (text: string) => text.split('\n').filter((l) => l.startsWith('- '));

  it('names a property added to a shared schema once, with the schema and every operation it reaches', () => {
    const { text } = entry((doc) => (doc.components.schemas.Widget.properties.color = { type: 'string', maxLength: 20 }));
    assert.deepEqual(lines(text), ['- `Widget.color` (schema `Widget`): added. Reaches `GET /widgets`, `POST /widgets`, `GET /widgets/{widget_id}`.']);
    assert.match(text, /### Added\n\n- `Widget\.color`/);
  });

  it('names a constraint added to a shared request schema once under "Refused now", with the operations it reaches', () => {
    const { text } = entry((doc) => (doc.components.schemas.Name.maxLength = 64));
    assert.match(text, /### Refused now\n\nNames are bounded\.\n\n/);
    assert.deepEqual(lines(text), ["- schema `Name`: `maxLength` was set to '64'. Reaches `POST /widgets`, `PATCH /widgets/{widget_id}`."]);
  });

  it('gives one line per place: two properties added to one schema are two lines', () => {
    const { text } = entry((doc) => Object.assign(doc.components.schemas.Widget.properties, { color: { type: 'string' }, size: { type: 'integer' } }));
    assert.deepEqual(
      lines(text).map((l) => l.split(':')[0]),
      ['- `Widget.color` (schema `Widget`)', '- `Widget.size` (schema `Widget`)'],
    );
  });

  it('keeps the operation line for a change outside any component', () => {
    const { text } = entry((doc) => (doc.paths['/health'].get.responses['200'].content['application/json'].schema.properties.uptime = { type: 'integer' }));
    assert.deepEqual(lines(text), ['- `GET /health` responses › 200 › uptime: added.']);
  });

  it('puts a $ref newly made to a component that did not change on that operation alone', () => {
    const { diff } = entry((doc) => (doc.paths['/widgets'].get.parameters[0].schema = { $ref: '#/components/schemas/Timestamp' }));
    const changes = diff.changes.filter((c) => c.impact === 'major');
    assert.ok(changes.length > 0, 'redocly diff reported no change to the since parameter');
    for (const change of changes) {
      assert.equal(change.component, undefined);
      assert.equal(where(change), '`GET /widgets` parameters › 0');
    }
  });

  it('leaves out an operation that no longer uses the component a removal was made in', () => {
    const { diff } = entry((doc) => {
      // createWidget keeps the header in a copy of its own; getWidget's (the shared WidgetOk) loses it.
      doc.paths['/widgets'].post.responses['201'] = structuredClone(doc.components.responses.WidgetOk);
      delete doc.components.responses.WidgetOk.headers.ETag;
    });
    const removed = diff.changes.filter((c) => c.component === '#/components/responses/WidgetOk/headers/ETag');
    assert.equal(removed.length, 1, 'redocly diff reported no removed header');
    assert.deepEqual(removed[0].reaches, ['#/paths/~1widgets~1{widget_id}/get']);
    assert.equal(where(removed[0]), '`WidgetOk.headers.ETag` (response `WidgetOk`)');
  });
});
