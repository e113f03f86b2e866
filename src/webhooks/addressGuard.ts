import { BlockList, isIP, type LookupFunction } from 'node:net';
import { lookup as dnsLookup } from 'node:dns/promises';
import { errors } from '../errors';

/** Resolves a host name to every address it has (injectable: tests resolve names to what they need). */
export type Resolve = (hostname: string) => Promise<{ address: string; family: number }[]>;

export interface GuardOptions {
  /** Loopback, private and other internal addresses are allowed (tests, local development). */
  allowPrivate: boolean;
  /** Plain http is refused (production). */
  requireHttps: boolean;
  resolve?: Resolve;
}

/** A URL that passed the guard, with the addresses that were checked: the only ones to connect to. */
export interface CheckedUrl {
  url: URL;
  addresses: string[];
}

export type Inspection =
  | ({ ok: true } & CheckedUrl)
  | { ok: false; kind: 'url' | 'unresolved' | 'address'; message: string };

const defaultResolve: Resolve = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

// IANA's special-purpose registries, and what a request must never reach from inside our network.
const V4_RANGES: [string, number, string][] = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared (CGNAT)'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, 'reserved'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['240.0.0.0', 4, 'reserved or broadcast'],
];
// Only 2000::/3 is global unicast; inside it, these are not public.
const V6_RANGES: [string, number, string][] = [
  ['2001::', 23, 'reserved'],
  ['2001:db8::', 32, 'documentation'],
  ['3fff::', 20, 'documentation'],
];
const V6_OUTSIDE_GLOBAL: [string, number, string][] = [
  ['::', 127, 'unspecified or loopback'],
  ['fc00::', 7, 'private'],
  ['fe80::', 10, 'link-local'],
  ['ff00::', 8, 'multicast'],
];

const rangeList = (ranges: [string, number, string][], family: 'ipv4' | 'ipv6') =>
  ranges.map(([net, prefix, label]) => {
    const list = new BlockList();
    list.addSubnet(net, prefix, family);
    return { list, label, family };
  });
const v4 = rangeList(V4_RANGES, 'ipv4');
const v6 = rangeList([...V6_RANGES, ...V6_OUTSIDE_GLOBAL], 'ipv6');
const globalUnicast = new BlockList();
globalUnicast.addSubnet('2000::', 3, 'ipv6');

/** The eight 16-bit groups of a valid IPv6 address (a trailing dotted quad and `::` expanded). */
function groups(address: string): number[] {
  let text = address.split('%')[0];
  const quad = /^(.*:)(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(2).map(Number);
    text = `${quad[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const fill = text.includes('::') ? 8 - left.length - right.length : 0;
  return [...left, ...Array<string>(fill).fill('0'), ...right].map((g) => parseInt(g, 16));
}

const quadOf = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;

/** The IPv4 address an IPv6 one carries to an IPv4 host (mapped, NAT64, 6to4), if any. */
function embeddedV4(g: number[]): string | undefined {
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 5) && g[5] === 0xffff) return quadOf(g[6], g[7]);
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return quadOf(g[6], g[7]);
  if (g[0] === 0x2002) return quadOf(g[1], g[2]);
  return undefined;
}

/** Why deliveries may not go to `address` (`loopback`, `private`...), or undefined for a public address. */
export function internalKind(address: string): string | undefined {
  const family = isIP(address);
  if (family === 4) return v4.find((r) => r.list.check(address, 'ipv4'))?.label;
  if (family !== 6) return 'not an IP address';
  const g = groups(address);
  const inner = embeddedV4(g);
  if (inner) return internalKind(inner);
  const plain = g.map((x) => x.toString(16)).join(':');
  const found = v6.find((r) => r.list.check(plain, 'ipv6'))?.label;
  if (found) return found;
  return globalUnicast.check(plain, 'ipv6') ? undefined : 'reserved';
}

/** Checks a webhook URL without throwing: what the delivery worker records as the attempt's error. */
export async function inspectWebhookUrl(raw: string, opts: GuardOptions): Promise<Inspection> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, kind: 'url', message: 'must be an absolute URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, kind: 'url', message: 'must be an http(s) URL' };
  if (url.protocol === 'http:' && opts.requireHttps) return { ok: false, kind: 'url', message: 'must use https' };
  if (url.username || url.password) return { ok: false, kind: 'url', message: 'must not contain a user name or password' };
  // The URL parser refuses ports over 65535 but keeps 0, where no connection can go.
  const port = url.port === '' ? undefined : Number(url.port);
  if (port !== undefined && !(port >= 1 && port <= 65535)) return { ok: false, kind: 'url', message: 'must have a port from 1 to 65535' };
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await (opts.resolve ?? defaultResolve)(host)).map((a) => a.address);
    } catch {
      addresses = [];
    }
    if (addresses.length === 0) return { ok: false, kind: 'unresolved', message: `host ${host.slice(0, 100)} does not resolve` };
  }
  if (!opts.allowPrivate) {
    // RFC 6761: `localhost` names are loopback whatever a resolver says.
    if (host === 'localhost' || host.endsWith('.localhost')) return refusedAddress(host, 'loopback');
    for (const address of addresses) {
      const kind = internalKind(address);
      if (kind) return refusedAddress(address, kind);
    }
  }
  return { ok: true, url, addresses };
}

const refusedAddress = (address: string, kind: string): Inspection => ({
  ok: false,
  kind: 'address',
  message: `resolves to ${address.slice(0, 60)}, a ${kind} address; webhooks go to public addresses only`,
});

/** For the endpoint operations: a URL deliveries may not go to is a 400 on `/body/url`. */
export async function checkWebhookUrl(raw: string, opts: GuardOptions): Promise<CheckedUrl> {
  const found = await inspectWebhookUrl(raw, opts);
  if (!found.ok) {
    throw errors.validationFailed([{ pointer: '/body/url', code: 'url_not_allowed', message: `url ${found.message}` }]);
  }
  return { url: found.url, addresses: found.addresses };
}

/**
 * A `lookup` for http.request that answers only with the addresses the guard checked, so the
 * connection goes where the check looked: a DNS answer that changes in between (rebinding) is
 * never used.
 */
export function pinnedLookup(addresses: string[]): LookupFunction {
  const entries = addresses.map((address) => ({ address, family: isIP(address) }));
  return ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all) callback(null, entries);
    else callback(null, entries[0].address, entries[0].family);
  }) as unknown as LookupFunction;
}
