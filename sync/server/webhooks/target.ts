import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import net from 'node:net';

/**
 * Where a webhook may be sent (SSRF care). The server must not become a way into the network it runs
 * in: by default only https URLs whose host resolves to public addresses are called. Loopback, private,
 * link-local (cloud metadata 169.254.169.254), carrier-grade NAT, multicast and reserved ranges are
 * refused — checked on the address the connection actually uses (a `lookup` that filters), so a DNS
 * name that changes its answer between the check and the call (rebinding) gains nothing.
 *
 * `allowPrivateNetworks` (server option `webhooks.allowPrivateNetworks`, env
 * BALCAO_WEBHOOKS_ALLOW_PRIVATE=1; on by default only under tests and the demo) lifts both rules, so a
 * receiver on this computer (http://127.0.0.1:…) can be called.
 */
const BLOCKED = new net.BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) BLOCKED.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['2001:db8::', 32], ['100::', 64],
] as const) BLOCKED.addSubnet(network, prefix, 'ipv6');

/** True for an address a webhook must not reach unless private networks are allowed (IPv4-mapped and NAT64 IPv6 checked as IPv4). */
export function isPrivateAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return BLOCKED.check(address, 'ipv4');
  if (family !== 6) return true;
  const lower = address.toLowerCase();
  const mapped = /^(?:::ffff:|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower)?.[1];
  if (mapped) return BLOCKED.check(mapped, 'ipv4');
  const hexMapped = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hexMapped) {
    const high = parseInt(hexMapped[1]!, 16);
    const low = parseInt(hexMapped[2]!, 16);
    return BLOCKED.check(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`, 'ipv4');
  }
  return BLOCKED.check(address, 'ipv6');
}

/** Why a subscription URL is refused, or null when it may be used. Checked when a subscription is made or changed. */
export function urlProblem(raw: string, allowPrivateNetworks: boolean): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not an absolute URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an https URL';
  if (url.username || url.password) return 'must not carry a user name or password (the signature authenticates the server)';
  if (url.hash) return 'must not carry a #fragment';
  if (allowPrivateNetworks) return null;
  if (url.protocol !== 'https:') return 'must be an https URL (plain http is accepted only by a server configured for local receivers)';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost') || (net.isIP(host) !== 0 && isPrivateAddress(host))) {
    return 'points at a loopback or private address; webhooks are sent to public addresses only';
  }
  return null;
}

/** An error of the connection's guard: the host resolved to an address webhooks may not reach. */
export class BlockedAddressError extends Error {}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for http.request that resolves as usual and then refuses private addresses (unless allowed).
 * A literal IP in the URL is not looked up by Node, so `assertLiteralAllowed` checks it before the request.
 */
export function guardedLookup(allowPrivateNetworks: boolean) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const list = addresses as LookupAddress[];
      const blocked = allowPrivateNetworks ? undefined : list.find((entry) => isPrivateAddress(entry.address));
      if (blocked) return callback(new BlockedAddressError(`${hostname} resolves to ${blocked.address}, a loopback or private address; webhooks are sent to public addresses only`), []);
      if (options.all) return callback(null, list);
      const first = list[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
      callback(null, first.address, first.family);
    });
  };
}

export function assertLiteralAllowed(url: URL, allowPrivateNetworks: boolean): void {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivateNetworks && net.isIP(host) !== 0 && isPrivateAddress(host)) throw new BlockedAddressError(`${host} is a loopback or private address; webhooks are sent to public addresses only`);
}
