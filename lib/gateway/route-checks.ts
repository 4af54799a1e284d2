// Checks of what a route exposes (host, path, names), shared by both gateway kinds so that an
// exposure the Gateway API gateway refuses is refused by the injected gateway too.
import { isDnsSubdomain } from '../core/names';

const HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function assertHostname(field: string, hostname: string): void {
  if (!HOSTNAME.test(hostname) || hostname.length > 253) {
    throw new Error(`${field} must be a lower-case DNS name such as shop.example.com, optionally with a leading '*.' wildcard, got '${hostname}'`);
  }
}

export function assertDnsSubdomain(field: string, name: string): void {
  if (!isDnsSubdomain(name)) {
    throw new Error(`${field} must be a DNS subdomain name (lower case letters, digits, '-' and '.'), got '${name}'`);
  }
}

export function assertPathPrefix(pathPrefix: string): void {
  // The Gateway API's CEL rules refuse `//`, `/./`, `/../`, `%2f` and `#` in paths.
  if (!/^\/[A-Za-z0-9/\-._~%!$&'()*+,;=:@]*$/.test(pathPrefix) || /\/\/|\/\.\.?(\/|$)|%2f|%2F/.test(pathPrefix) || pathPrefix.length > 1024) {
    throw new Error(`pathPrefix must be an absolute URL path such as /shop, without '//', '/./', '/../' or '%2f', got '${pathPrefix}'`);
  }
}
