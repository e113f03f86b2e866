import assert from 'node:assert/strict';
import { isoTimestamp } from '../../src/store/postgres/db';

describe('store: PostgreSQL timestamptz text as the API shows it (isoTimestamp)', () => {
  it('UTC text is rewritten to RFC 3339 with milliseconds, truncated as Date does', () => {
    for (const [text, iso] of [
      ['2026-12-05 11:30:06+00', '2026-12-05T11:30:06.000Z'],
      ['2026-12-05 11:30:06.1+00', '2026-12-05T11:30:06.100Z'],
      ['2026-12-05 11:30:06.12+00', '2026-12-05T11:30:06.120Z'],
      ['2026-12-05 11:30:06.123999+00', '2026-12-05T11:30:06.123Z'],
    ]) {
      assert.equal(isoTimestamp(text), iso);
      assert.equal(isoTimestamp(text), new Date(text).toISOString());
    }
  });

  it('another zone goes through Date', () => {
    assert.equal(isoTimestamp('2026-12-05 13:30:06.5+02'), '2026-12-05T11:30:06.500Z');
    assert.equal(isoTimestamp('2026-12-05 06:00:00-05:30'), '2026-12-05T11:30:00.000Z');
  });
});
