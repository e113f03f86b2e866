import assert from 'node:assert/strict';
import { createLogger } from '../src/logger';

const capture = (level: Parameters<typeof createLogger>[0], base?: Record<string, unknown>) => {
  const lines: string[] = [];
  const logger = createLogger(level, (l) => lines.push(l), base);
  return { logger, lines, entries: () => lines.map((l) => JSON.parse(l)) };
};

describe('createLogger', () => {
  it('puts the base fields (a worker pid) on every line, under the fields of the call', () => {
    const { logger, entries } = capture('info', { pid: 42 });
    logger.info('request', { status: 200 });
    logger.debug('dropped');
    assert.deepEqual(entries().map(({ time: _t, ...rest }) => rest), [{ level: 'info', msg: 'request', pid: 42, status: 200 }]);
  });

  it('writes one JSON line per call: level by name, ISO time, msg', () => {
    const { logger, lines, entries } = capture('debug');
    logger.warn('careful');
    assert.equal(lines.length, 1);
    assert.ok(lines[0].endsWith('}\n'));
    const [line] = entries();
    assert.equal(line.level, 'warn');
    assert.equal(line.msg, 'careful');
    assert.match(line.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('honours the level: lines below it are not written, and enabled() says so', () => {
    const { logger, entries } = capture('warn');
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    assert.deepEqual(entries().map((l) => l.level), ['warn', 'error']);
    assert.deepEqual((['debug', 'info', 'warn', 'error'] as const).map((l) => logger.enabled(l)), [false, false, true, true]);
    const silent = capture('silent');
    silent.logger.error('nothing');
    assert.equal(silent.lines.length, 0);
    assert.equal(silent.logger.enabled('error'), false);
  });

  it('redacts every secret name at the top of the fields and under headers, bodies and req/res objects', () => {
    const { logger, lines, entries } = capture('debug');
    const secret = (name: string) => `SECRET-${name}-0123456789`;
    const names = ['authorization', 'x-api-key', 'cookie', 'set-cookie', 'password', 'access_token', 'refresh_token', 'key', 'secret', 'api_key'];
    const fields = Object.fromEntries(names.map((n) => [n, secret(`top-${n}`)]));
    logger.debug('top', fields);
    logger.debug('headers', { headers: Object.fromEntries(names.map((n) => [n, secret(`headers-${n}`)])) });
    logger.debug('nested', { req: { body: Object.fromEntries(names.map((n) => [n, secret(`body-${n}`)])) } });
    logger.debug('response', { res: { headers: { 'set-cookie': [secret('cookie')] } }, data: { key: secret('data-key'), secret: secret('data-secret') } });
    assert.doesNotMatch(lines.join(''), /SECRET-/);
    const [top, headers, nested, response] = entries();
    for (const n of names) {
      assert.equal(top[n], '[redacted]');
      assert.equal(headers.headers[n], '[redacted]');
      assert.equal(nested.req.body[n], '[redacted]');
    }
    assert.deepEqual(response, { ...response, res: { headers: { 'set-cookie': '[redacted]' } }, data: { key: '[redacted]', secret: '[redacted]' } });
  });

  it('leaves other fields, and the caller\'s object, as they were', () => {
    const { logger, entries } = capture('info');
    const fields = { request_id: 'req_1', status: 201, route: '/v1/api-keys', operation_id: 'createApiKey', password: 'hunter2-hunter2' };
    logger.info('request', fields);
    assert.deepEqual(entries()[0], { ...entries()[0], request_id: 'req_1', status: 201, route: '/v1/api-keys', operation_id: 'createApiKey', password: '[redacted]' });
    assert.equal(fields.password, 'hunter2-hunter2');
  });
});
