import assert from 'node:assert/strict';
import { catalogued } from '../../src/http/errorEnvelope';
import { AppError, errors } from '../../src/errors';
import { AlreadyInvited, Busy, EmailTaken, LastOwner, RecordLocked, SlugTaken } from '../../src/store/ports';

const plain = (err: AppError | undefined) =>
  err && { status: err.status, code: err.code, message: err.message, details: err.details, headers: err.headers };

describe('domain errors at the edge: the one table from store errors to the catalogue', () => {
  it('SlugTaken is 409 slug_taken naming the slug, with its /body/slug detail', () => {
    assert.deepEqual(plain(catalogued(new SlugTaken('payments'))), {
      status: 409,
      code: 'slug_taken',
      message: "Another project in this workspace already uses the slug 'payments'.",
      details: [{ pointer: '/body/slug', code: 'slug_taken', message: "slug 'payments' is taken" }],
      headers: {},
    });
  });

  it('Busy is 503 service_unavailable and RecordLocked 409 idempotency_key_in_use, each with Retry-After: 1', () => {
    assert.deepEqual(plain(catalogued(new Busy())), plain(errors.serviceUnavailable()));
    assert.equal(catalogued(new Busy())!.headers['Retry-After'], '1');
    assert.deepEqual(plain(catalogued(new RecordLocked())), plain(errors.idempotencyKeyInUse()));
    assert.equal(catalogued(new RecordLocked())!.headers['Retry-After'], '1');
  });

  it('LastOwner is 409 last_owner pointing at the member; AlreadyInvited 409 already_invited pointing at the email', () => {
    assert.deepEqual(plain(catalogued(new LastOwner('usr_1', 'ws_1'))), plain(errors.lastOwner('usr_1')));
    assert.deepEqual(catalogued(new LastOwner('usr_1', 'ws_1'))!.details, [{ pointer: '/path/user_id', code: 'last_owner', message: 'usr_1 is the last owner' }]);
    assert.deepEqual(plain(catalogued(new AlreadyInvited('a@example.com'))), plain(errors.alreadyInvited('a@example.com')));
  });

  it('a catalogue error passes as it is; EmailTaken (acceptInvitation handles it) and unknown errors are not catalogued', () => {
    const own = errors.projectNotFound('prj_1');
    assert.equal(catalogued(own), own);
    for (const err of [new EmailTaken('a@example.com'), new Error('boom'), 'text', undefined]) {
      assert.equal(catalogued(err), undefined, String(err));
    }
  });
});
