/**
 * Where a report webhook may point. By default only https to public addresses; an operator may allow-list
 * private targets (REPORT_WEBHOOK_ALLOWED_HOSTS: host names, addresses or CIDR ranges), which may then use http
 * too. The URL is checked when the webhook is added and again at every delivery, and the connection itself
 * resolves through `lookup` below, which checks every address it hands to the socket: a DNS answer that
 * turns private between the check and the connect (rebinding) is refused, not connected to.
 */
import dns from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { badInput } from '../../shared/errors';

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** All addresses a host name resolves to (dns.lookup with `all`, as sockets resolve). Injected by tests. */
export type ResolveAll = (hostname: string) => Promise<ResolvedAddress[]>;

/** node:net's lookup option, in both of its shapes (one address, or all of them with `all: true`). */
type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;
export type ConnectLookup = (hostname: string, options: dns.LookupOptions, callback: LookupCallback) => void;

/** A target the policy refuses; the message is safe to show (it names neither the host's addresses nor the host). */
export class WebhookTargetRefused extends Error {
  readonly code = 'EWEBHOOKTARGET';
}

const MAX_URL_LENGTH = 2048;
const resolveWithDns: ResolveAll = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

/** Public unicast only: loopback, private, link-local, CGNAT, multicast, unspecified, IPv4-mapped, NAT64, 6to4, reserved ranges… are not. */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.parse(address).range() === 'unicast';
}

export class WebhookTargetPolicy {
  private readonly hosts = new Set<string>();
  private readonly ranges: Array<[ipaddr.IPv4 | ipaddr.IPv6, number]> = [];

  constructor(
    allowed: readonly string[],
    private readonly resolveAll: ResolveAll = resolveWithDns,
  ) {
    for (const entry of allowed) {
      if (entry.includes('/')) this.ranges.push(ipaddr.parseCIDR(entry));
      else if (isIP(entry)) this.ranges.push([ipaddr.parse(entry), isIP(entry) === 4 ? 32 : 128]);
      else this.hosts.add(entry.toLowerCase());
    }
  }

  /** Parses and checks a webhook URL (resolving its host); returns it normalised, or throws BAD_USER_INPUT. */
  async check(url: string): Promise<string> {
    try {
      return (await this.approve(url)).href;
    } catch (error) {
      if (error instanceof WebhookTargetRefused) throw badInput(error.message);
      throw badInput(`url's host could not be resolved`);
    }
  }

  /** The same check for a delivery: WebhookTargetRefused when the policy says no, the DNS error when the host did not resolve (which may pass). */
  async approve(url: string): Promise<URL> {
    let parsed: URL;
    try {
      parsed = new URL(url.trim());
    } catch {
      throw new WebhookTargetRefused('url must be an absolute https URL, e.g. https://hooks.slack.com/services/…');
    }
    if (parsed.href.length > MAX_URL_LENGTH) throw new WebhookTargetRefused(`url must be at most ${MAX_URL_LENGTH} characters`);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new WebhookTargetRefused('url must use https');
    if (parsed.username || parsed.password) throw new WebhookTargetRefused('url must not carry credentials; put the secret in the path as Slack does');
    const { allowListed } = await this.addresses(parsed.hostname);
    if (parsed.protocol !== 'https:' && !allowListed) throw new WebhookTargetRefused('url must use https (plain http only for targets allow-listed in REPORT_WEBHOOK_ALLOWED_HOSTS)');
    return parsed;
  }

  /** For http(s).request: resolves like the socket would, and hands over only addresses this policy approves. */
  readonly lookup: ConnectLookup = (hostname, options, callback) => {
    this.addresses(hostname).then(
      ({ addresses }) => {
        const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
        if (wanted.length === 0) return callback(Object.assign(new Error(`${hostname} has no address of the family asked for`), { code: 'ENOTFOUND' }), '');
        if (options.all) return callback(null, wanted);
        callback(null, wanted[0].address, wanted[0].family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };

  /** The addresses a host (name or literal) may be connected to; allowListed: the operator listed it (http allowed too). */
  private async addresses(hostname: string): Promise<{ addresses: ResolvedAddress[]; allowListed: boolean }> {
    const host = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
    const byName = this.hosts.has(host);
    const addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await this.resolveAll(host);
    if (addresses.length === 0) throw Object.assign(new Error(`${host} has no address`), { code: 'ENOTFOUND' });
    if (byName) return { addresses, allowListed: true };
    const inRanges = addresses.every((a) => this.inAllowedRange(a.address));
    if (!inRanges && !addresses.every((a) => isPublicAddress(a.address) || this.inAllowedRange(a.address))) {
      throw new WebhookTargetRefused(`url's host is (or resolves to) a private, loopback, link-local or reserved address; only public addresses are allowed unless REPORT_WEBHOOK_ALLOWED_HOSTS lists the target`);
    }
    return { addresses, allowListed: inRanges };
  }

  private inAllowedRange(address: string): boolean {
    if (!ipaddr.isValid(address)) return false;
    const parsed = ipaddr.parse(address);
    return this.ranges.some(([range, bits]) => parsed.kind() === range.kind() && parsed.match(range, bits));
  }
}
