import assert from 'node:assert/strict';
import { AppError } from '../../src/errors';
import { checkWebhookUrl, inspectWebhookUrl, internalKind, type Resolve } from '../../src/webhooks/addressGuard';

const resolvesTo =
  (...addresses: string[]): Resolve =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
const notFound: Resolve = async () => {
  throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
};
const strict = { allowPrivate: false, requireHttps: true, resolve: resolvesTo('93.184.216.34') };

async function refused(url: string, opts: Parameters<typeof checkWebhookUrl>[1], message: RegExp) {
  await assert.rejects(checkWebhookUrl(url, opts), (err: unknown) => {
    assert.ok(err instanceof AppError);
    assert.equal(err.status, 400);
    assert.equal(err.code, 'validation_failed');
    assert.equal(err.details[0].pointer, '/body/url');
    assert.equal(err.details[0].code, 'url_not_allowed');
    assert.match(err.details[0].message, message);
    return true;
  });
}

describe('webhooks: address guard', () => {
  it('refuses every internal IPv4 range', () => {
    const internal = [
      '127.0.0.1', '127.255.255.254', '10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.0.1', '169.254.169.254',
      '169.254.0.1', '100.64.0.1', '100.127.255.255', '0.0.0.0', '0.1.2.3', '255.255.255.255', '224.0.0.1',
      '239.255.255.250', '240.0.0.1', '192.0.2.1', '198.51.100.7', '203.0.113.9', '198.18.0.1', '192.0.0.8',
    ];
    for (const a of internal) assert.ok(internalKind(a), `${a} should be refused`);
    for (const a of ['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '93.184.216.34', '11.0.0.1']) {
      assert.equal(internalKind(a), undefined, `${a} is public`);
    }
  });

  it('refuses internal IPv6, and IPv4 carried in IPv6 (mapped, NAT64, 6to4) by the IPv4 it carries', () => {
    const internal = [
      '::1', '::', 'fe80::1', 'fe80::1%eth0', 'fd12:3456::1', 'fc00::1', 'ff02::1', '2001:db8::1', '2001::1', 'fec0::1',
      '100::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '0:0:0:0:0:ffff:a9fe:a9fe', '::ffff:10.0.0.1', '64:ff9b::7f00:1',
      '2002:c0a8:101::1', '::127.0.0.1', '3fff::1',
    ];
    for (const a of internal) assert.ok(internalKind(a), `${a} should be refused`);
    assert.equal(internalKind('::ffff:169.254.169.254'), 'link-local');
    for (const a of ['2606:4700:4700::1111', '2a00:1450:4001:80b::200e', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1']) {
      assert.equal(internalKind(a), undefined, `${a} is public`);
    }
  });

  it('literal addresses in URLs, in every spelling the URL parser accepts', async () => {
    const opts = { allowPrivate: false, requireHttps: false, resolve: notFound };
    for (const url of ['http://127.0.0.1/', 'http://2130706433/', 'http://0x7f.1/', 'http://127.1:8080/x', 'http://[::1]/',
      'http://[::ffff:127.0.0.1]/', 'http://169.254.169.254/latest/meta-data/', 'http://[fe80::1]/', 'http://0.0.0.0/']) {
      await refused(url, opts, /address; webhooks go to public addresses only/);
    }
  });

  it('a host name is judged by every address it resolves to', async () => {
    await refused('https://evil.example/', { ...strict, resolve: resolvesTo('127.0.0.1') }, /127\.0\.0\.1, a loopback address/);
    await refused('https://mixed.example/', { ...strict, resolve: resolvesTo('93.184.216.34', '10.0.0.5') }, /10\.0\.0\.5, a private/);
    await refused('https://v6.example/', { ...strict, resolve: resolvesTo('2606:4700::1', 'fd00::1') }, /fd00::1/);
    await refused('https://localhost/', { ...strict, resolve: resolvesTo('93.184.216.34') }, /loopback/);
    await refused('https://api.localhost/', strict, /loopback/);
    const ok = await checkWebhookUrl('https://hooks.example.com/in?x=1', strict);
    assert.equal(ok.url.hostname, 'hooks.example.com');
    assert.deepEqual(ok.addresses, ['93.184.216.34']);
  });

  it('scheme, https in production, credentials, port 0 and unresolvable hosts', async () => {
    await refused('ftp://hooks.example.com/', strict, /http\(s\)/);
    await refused('http://hooks.example.com/', strict, /must use https/);
    await refused('https://user:pw@hooks.example.com/', strict, /user name or password/);
    await refused('https://nowhere.invalid/', { ...strict, resolve: notFound }, /does not resolve/);
    await refused('not a url', strict, /absolute URL/);
    await refused('https://8.8.8.8:0/h', strict, /port from 1 to 65535/);
    await refused('https://hooks.example.com:00/h', strict, /port from 1 to 65535/);
    await refused('http://127.0.0.1:0/h', { allowPrivate: true, requireHttps: false }, /port from 1 to 65535/);
    assert.ok(await checkWebhookUrl('https://8.8.8.8:65535/h', strict));
    assert.ok(await checkWebhookUrl('http://hooks.example.com/', { ...strict, requireHttps: false }));
  });

  it('WEBHOOK_ALLOW_PRIVATE lets internal addresses through, not other faults', async () => {
    const open = { allowPrivate: true, requireHttps: false, resolve: resolvesTo('127.0.0.1') };
    assert.deepEqual((await checkWebhookUrl('http://localhost:3000/hook', open)).addresses, ['127.0.0.1']);
    assert.ok(await checkWebhookUrl('http://10.1.2.3/', open));
    await refused('http://u:p@127.0.0.1/', open, /user name/);
    await refused('http://gone.invalid/', { ...open, resolve: notFound }, /does not resolve/);
  });

  it('inspect reports the kind of refusal without throwing (what delivery records)', async () => {
    const opts = { allowPrivate: false, requireHttps: false };
    assert.equal((await inspectWebhookUrl('http://127.0.0.1/', opts)).ok, false);
    const r = await inspectWebhookUrl('http://a.example/', { ...opts, resolve: resolvesTo('192.168.1.1') });
    assert.ok(!r.ok && r.kind === 'address');
    const u = await inspectWebhookUrl('http://a.example/', { ...opts, resolve: notFound });
    assert.ok(!u.ok && u.kind === 'unresolved');
  });
});
