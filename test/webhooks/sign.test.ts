import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { signatureHeaders } from '../../src/webhooks/sign';
import { createWebhookSecrets } from '../../src/webhooks/secrets';

describe('webhooks: signing and secrets', () => {
  const secrets = createWebhookSecrets(randomBytes(32));
  const payload = JSON.stringify({ id: 'evt_1', type: 'ping', data: { text: 'héllo' } });

  it('one secret: the Standard Webhooks headers, verified by the standardwebhooks package', () => {
    const { secret } = secrets.generate();
    const at = new Date();
    const headers = signatureHeaders('evt_1', at, payload, [secret]);
    assert.equal(headers['webhook-id'], 'evt_1');
    assert.equal(headers['webhook-timestamp'], String(Math.floor(at.getTime() / 1000)));
    assert.match(headers['webhook-signature'], /^v1,[A-Za-z0-9+/]{43}=$/);
    assert.deepEqual(new Webhook(secret).verify(payload, { ...headers }), JSON.parse(payload));
    assert.throws(() => new Webhook(secret).verify(payload + ' ', { ...headers }), /No matching signature/);
  });

  it('two secrets (after a rotation): two v1 signatures, each verifying with its own secret only', () => {
    const [oldSecret, newSecret, other] = [secrets.generate().secret, secrets.generate().secret, secrets.generate().secret];
    const headers = signatureHeaders('evt_2', new Date(), payload, [newSecret, oldSecret]);
    const parts = headers['webhook-signature'].split(' ');
    assert.equal(parts.length, 2);
    assert.ok(parts.every((p) => p.startsWith('v1,')));
    assert.ok(new Webhook(oldSecret).verify(payload, { ...headers }));
    assert.ok(new Webhook(newSecret).verify(payload, { ...headers }));
    assert.throws(() => new Webhook(other).verify(payload, { ...headers }));
  });

  it('secrets: whsec_ and base64 of 32 bytes, stored sealed, opened only with the same pepper', () => {
    const { secret, sealed } = secrets.generate();
    assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.equal(Buffer.from(secret.slice(6), 'base64').length, 32);
    assert.ok(!sealed.includes(Buffer.from(secret)), 'never stored in clear');
    assert.equal(secrets.open(sealed), secret);
    assert.notEqual(secrets.generate().secret, secret);
    assert.throws(() => createWebhookSecrets(randomBytes(32)).open(sealed));
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] ^= 1;
    assert.throws(() => secrets.open(tampered));
  });
});
