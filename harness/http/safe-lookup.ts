import { lookup as dnsLookup } from 'node:dns';
import type { LookupFunction } from 'node:net';

/**
 * A DNS lookup for outgoing connections that answers names under the reserved
 * `.invalid` TLD (RFC 6761 §6.4: "always return immediate negative responses")
 * locally, without a query leaving the machine. Everything else goes to the
 * system resolver, whose wait is bounded by the connect timeout and the
 * request deadline.
 *
 * @example
 *   new Agent({ connect: { lookup: safeLookup } });
 */
export const safeLookup: LookupFunction = (hostname, options, callback) => {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  if (name === 'invalid' || name.endsWith('.invalid')) {
    const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), {
      code: 'ENOTFOUND',
      syscall: 'getaddrinfo',
      hostname,
    });
    process.nextTick(callback, error, options.all ? [] : '', 0);
    return;
  }
  // node:net's own default is dns.lookup called exactly like this; its overloads just cannot say so.
  (dnsLookup as unknown as LookupFunction)(hostname, options, callback);
};
