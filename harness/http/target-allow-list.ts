import { isIP, type LookupFunction } from 'node:net';
import type { LookupAddress } from 'node:dns';
import { HarnessError } from '../errors.js';
import { safeLookup } from './safe-lookup.js';

/**
 * Where an operator lets the harness send requests, parsed once from its
 * text form (the service's INTEROP_ALLOWED_TARGETS). `entries` undefined
 * means no list was set: every address except the cloud metadata ones
 * (`ALWAYS_REFUSED`) may be reached.
 */
export interface AllowedTargets {
  /** Named in every refusal, so the reader knows which setting to change. */
  readonly source: string;
  readonly entries: AllowEntries | undefined;
}

interface AllowEntries {
  /** `scheme://host[:port]`, trailing dot dropped, default port omitted (URL's own origin form). */
  origins: ReadonlySet<string>;
  /** `.vendor.example` for `*.vendor.example`: any name ending so, at least one label deeper. */
  suffixes: readonly string[];
  ranges: readonly AddressRange[];
}

interface AddressRange {
  bytes: Uint8Array;
  prefix: number;
}

/**
 * Which addresses a connection to an admitted URL may reach, once its name
 * is resolved: `any` (no list), `named` (the list names the host: public
 * addresses, or those in a listed range), `ranges` (only a listed range).
 * The cloud metadata addresses are refused under every rule.
 */
export type AddressRule = 'any' | 'named' | 'ranges';

export type UrlAdmission = { allowed: true; rule: AddressRule } | { allowed: false; reason: string };

/**
 * Cloud instance metadata hands out the host's credentials: never a sandbox,
 * so refused whatever the list says, and when no list is set. AWS, Azure, GCP
 * and Oracle on 169.254.169.254 (the whole link-local range), AWS IPv6 on
 * fd00:ec2::254, GCP IPv6 on fd20:ce::254, Alibaba on 100.100.100.200; and
 * link-local IPv4 written inside IPv6 (NAT64 `64:ff9b::`, 6to4 `2002:`, the
 * old IPv4-compatible `::a.b.c.d`), which some stacks still route.
 */
const ALWAYS_REFUSED = parsedOnFirstUse([
  '169.254.0.0/16', '100.100.100.200/32', 'fd00:ec2::254/128', 'fd20:ce::254/128', '64:ff9b::a9fe:0/112', '2002:a9fe::/32', '::a9fe:0/112',
]);

/**
 * Addresses that are not on the public internet: loopback, private,
 * carrier-grade NAT, link-local, unique-local, documentation, multicast and
 * reserved ranges (IANA special-purpose registries). A host the list names
 * reaches these only through a listed range, because whoever runs the
 * name's DNS (the supplier) chooses what it resolves to.
 */
const NON_PUBLIC = parsedOnFirstUse([
  '0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/24', '192.0.2.0/24',
  '192.168.0.0/16', '198.18.0.0/15', '198.51.100.0/24', '203.0.113.0/24', '224.0.0.0/4', '240.0.0.0/4',
  '::/128', '::1/128', '64:ff9b::/96', '64:ff9b:1::/48', '100::/64', '2001:db8::/32', '2002::/16', 'fc00::/7', 'fe80::/10', 'fec0::/10', 'ff00::/8',
]);

/**
 * Ranges parsed when first asked for, not when the module loads: the first
 * `isIP()` of a process compiles Node's IPv6 pattern (about 10 ms), which a
 * dry run, loading this module only to check URLs it never connects to, need not pay.
 */
function parsedOnFirstUse(texts: readonly string[]): () => readonly AddressRange[] {
  let ranges: readonly AddressRange[] | undefined;
  return () => (ranges ??= texts.map((text) => parseRange(text)!));
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Parse an allow-list: entries separated by commas (spaces around them
 * ignored), each one of
 * - an origin, `http(s)://host[:port]` with nothing after it but an optional `/`: that origin exactly;
 * - a host wildcard, `*.vendor.example`: any name under it (not the name itself), http or https, any port;
 * - a CIDR range, `10.20.0.0/16` or `2001:db8:42::/48` (no host bits set): IP hosts in it, and any
 *   host whose resolved address is in it.
 * Unset or blank: no list. Anything else is refused with ALLOWED_TARGETS_INVALID.
 *
 * @example
 *   const allowed = parseAllowedTargets('https://sandbox.vendor.example, *.vendor.example, 10.20.0.0/16', 'INTEROP_ALLOWED_TARGETS');
 *   admitUrl(allowed, 'http://10.20.3.4:8080/api'); // { allowed: true, rule: 'ranges' }
 */
export function parseAllowedTargets(value: string | undefined, source: string): AllowedTargets {
  if (value === undefined || value.trim() === '') return { source, entries: undefined };
  const origins = new Set<string>();
  const suffixes: string[] = [];
  const ranges: AddressRange[] = [];
  value.split(',').forEach((raw, index) => {
    const entry = raw.trim();
    const refuse = (why: string): never => {
      throw new HarnessError('ALLOWED_TARGETS_INVALID', `${source} entry ${index + 1} ${JSON.stringify(entry.slice(0, 200))} ${why}`);
    };
    if (entry === '') refuse('is empty (entries are separated by single commas)');
    if (entry.startsWith('*.')) {
      const name = entry.slice(2).toLowerCase().replace(/\.$/, '');
      if (name.length > 253 || !name.split('.').every((label) => LABEL.test(label))) refuse('is not a host wildcard: after "*." comes a DNS name such as vendor.example');
      suffixes.push(`.${name}`);
    } else if (entry.includes('://')) {
      origins.add(parseOriginEntry(entry, refuse));
    } else if (entry.includes('/')) {
      const range = parseRange(entry, refuse);
      if (!range) refuse('is not a CIDR range such as 10.20.0.0/16 or 2001:db8::/32');
      ranges.push(range!);
    } else {
      refuse('is not an origin (https://sandbox.vendor.example), a host wildcard (*.vendor.example) or a CIDR range (10.20.0.0/16; one address is 10.20.0.5/32)');
    }
  });
  return { source, entries: { origins, suffixes, ranges } };
}

/**
 * Whether a URL may be requested at all, before any DNS: an IP host must be
 * listed (as an origin or inside a range) and a name must be listed (origin
 * or wildcard), unless the list has ranges, when the name is decided by the
 * addresses it resolves to (see `allowedTargetsLookup`).
 *
 * @example
 *   admitUrl(parseAllowedTargets(undefined, 'X'), 'http://169.254.169.254/'); // { allowed: false, reason: '…cloud metadata…' }
 */
export function admitUrl(allowed: AllowedTargets, raw: string | URL): UrlAdmission {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { allowed: false, reason: 'is not a URL' };
  }
  const host = hostOf(url);
  const literal = addressBytes(host);
  const { entries } = allowed;
  const outside = `${url.origin} is outside ${allowed.source}, the targets this service's operator allows`;
  if (literal) {
    if (inAny(literal, ALWAYS_REFUSED())) return { allowed: false, reason: `${url.origin} is a link-local or cloud metadata address, never a target` };
    if (entries === undefined || entries.origins.has(originOf(url, host)) || inAny(literal, entries.ranges)) return { allowed: true, rule: 'any' };
    return { allowed: false, reason: outside };
  }
  if (entries === undefined) return { allowed: true, rule: 'any' };
  if (entries.origins.has(originOf(url, host)) || entries.suffixes.some((suffix) => host.endsWith(suffix))) return { allowed: true, rule: 'named' };
  if (entries.ranges.length > 0) return { allowed: true, rule: 'ranges' };
  return { allowed: false, reason: outside };
}

/**
 * Whether a connection admitted under `rule` may go to this resolved address.
 *
 * @example
 *   addressAllowed(allowed, 'named', '10.1.2.3'); // false unless a listed range holds it
 */
export function addressAllowed(allowed: AllowedTargets, rule: AddressRule, address: string): boolean {
  const bytes = addressBytes(address);
  if (!bytes || inAny(bytes, ALWAYS_REFUSED())) return false;
  if (rule === 'any') return true;
  if (inAny(bytes, allowed.entries?.ranges ?? [])) return true;
  return rule === 'named' && !inAny(bytes, NON_PUBLIC());
}

/**
 * The DNS lookup for connections to a URL admitted under `rule`: it keeps
 * only the resolved addresses the list allows, so the address checked is the
 * address connected to (a name that resolves differently a second time, DNS
 * rebinding, gains nothing), and fails with `ERR_TARGET_NOT_ALLOWED` when
 * none is left. IP hosts never reach a lookup: `admitUrl` decides them.
 *
 * @example
 *   new Agent({ connect: { lookup: allowedTargetsLookup(allowed, 'ranges') } });
 */
export function allowedTargetsLookup(allowed: AllowedTargets, rule: AddressRule, resolve: LookupFunction = safeLookup): LookupFunction {
  return function lookupAllowed(hostname, options, callback) {
    resolve(hostname, { ...options, all: true }, (error, found) => {
      if (error) return callback(error, options.all ? [] : '', 0);
      const addresses = found as LookupAddress[];
      const kept = addresses.filter((entry) => addressAllowed(allowed, rule, entry.address));
      if (kept.length === 0) {
        const listed = addresses.map((entry) => entry.address).join(', ') || 'no address';
        const why = rule === 'named' ? `not a public address and in no range ${allowed.source} lists` : `in no range ${allowed.source} lists`;
        const refused = Object.assign(new Error(`not connected: ${hostname} resolves to ${listed}, ${why}`), { code: 'ERR_TARGET_NOT_ALLOWED', hostname });
        return callback(refused, options.all ? [] : '', 0);
      }
      if (options.all) return callback(null, kept);
      callback(null, kept[0]!.address, kept[0]!.family);
    });
  };
}

function parseOriginEntry(entry: string, refuse: (why: string) => never): string {
  let url: URL | undefined;
  try {
    url = new URL(entry);
  } catch {
    refuse('is not an origin: not a URL');
  }
  if (url!.protocol !== 'http:' && url!.protocol !== 'https:') refuse('is not an origin: the scheme must be http or https');
  if (url!.hostname.includes('*')) refuse('is not an origin: write a host wildcard without a scheme, as *.vendor.example');
  if (url!.username !== '' || url!.password !== '') refuse('is not an origin: it must not carry credentials');
  if (!/^[a-z]+:\/\/[^/?#]+\/?$/i.test(entry)) refuse('is not an origin: nothing may follow the host and port (no path, query or fragment)');
  return originOf(url!, hostOf(url!));
}

/** The URL's host as compared: lower case (URL's own), IPv6 without brackets, no trailing dot. */
function hostOf(url: URL): string {
  const host = url.hostname.replace(/\.$/, '');
  return host.startsWith('[') ? host.slice(1, -1) : host;
}

function originOf(url: URL, host: string): string {
  return `${url.protocol}//${host.includes(':') ? `[${host}]` : host}${url.port ? `:${url.port}` : ''}`;
}

function parseRange(text: string, refuse?: (why: string) => never): AddressRange | undefined {
  const slash = text.lastIndexOf('/');
  const address = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  const version = isIP(address);
  if (version === 0 || !/^\d{1,3}$/.test(prefixText)) return undefined;
  const bytes = addressBytes(address)!;
  if (version === 6 && bytes.length === 4) refuse?.('is an IPv4-mapped IPv6 range: write it in IPv4 form');
  const prefix = Number(prefixText);
  if (prefix > bytes.length * 8) refuse?.(`has a prefix over ${bytes.length * 8}`);
  if (!sameBytes(bytes, masked(bytes, prefix))) refuse?.(`has host bits set: the range it names is ${formatRange(masked(bytes, prefix), prefix)}`);
  return { bytes, prefix };
}

/**
 * An address's bytes: 4 for IPv4 (an IPv4-mapped IPv6 address counts as the
 * IPv4 address it carries), 16 for IPv6; undefined for anything else.
 */
function addressBytes(text: string): Uint8Array | undefined {
  const address = text.replace(/%.*$/, '');
  const version = isIP(address);
  if (version === 4) return Uint8Array.from(address.split('.').map(Number));
  if (version !== 6) return undefined;
  let hex = address.toLowerCase();
  const dotted = hex.match(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    hex = `${hex.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = hex.split('::') as [string, string | undefined];
  const groups = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const front = groups(head);
  const back = groups(tail);
  const all = [...front, ...Array<number>(8 - front.length - back.length).fill(0), ...back];
  const bytes = Uint8Array.from(all.flatMap((group) => [group >> 8, group & 0xff]));
  const mapped = bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  return mapped ? bytes.slice(12) : bytes;
}

function masked(bytes: Uint8Array, prefix: number): Uint8Array {
  return bytes.map((byte, i) => {
    const bits = Math.max(0, Math.min(8, prefix - i * 8));
    return byte & ((0xff << (8 - bits)) & 0xff);
  });
}

function inRange(bytes: Uint8Array, range: AddressRange): boolean {
  return bytes.length === range.bytes.length && sameBytes(masked(bytes, range.prefix), range.bytes);
}

function inAny(bytes: Uint8Array, ranges: readonly AddressRange[]): boolean {
  return ranges.some((range) => inRange(bytes, range));
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function formatRange(bytes: Uint8Array, prefix: number): string {
  if (bytes.length === 4) return `${[...bytes].join('.')}/${prefix}`;
  const groups = Array.from({ length: 8 }, (_, i) => ((bytes[i * 2]! << 8) | bytes[i * 2 + 1]!).toString(16));
  return `${groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::')}/${prefix}`;
}
