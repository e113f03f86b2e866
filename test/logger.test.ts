import assert from 'node:assert/strict';
import { createLogger } from '../src/logger';

describe('createLogger', () => {
  it('puts the base fields (a worker pid) on every line, under the fields of the call', () => {
    const lines: string[] = [];
    const logger = createLogger('info', (l) => lines.push(l), { pid: 42 });
    logger.info('request', { status: 200 });
    logger.debug('dropped');
    assert.deepEqual(lines.map((l) => JSON.parse(l)).map(({ time: _t, ...rest }) => rest), [{ level: 'info', msg: 'request', pid: 42, status: 200 }]);
  });
});
