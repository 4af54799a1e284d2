import { CelFunc, CelMap, CelScalar, celFunc, celMethod, isCelMap, mapType } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { create } from '@bufbuild/protobuf';
import { DurationSchema } from '@bufbuild/protobuf/wkt';

const { BOOL, DYN, INT, STRING } = CelScalar;

/**
 * The functions the API server offers CRD rules beyond standard CEL, as far as the rules of the
 * CRDs this library knows use them, with the semantics of kube-apiserver (k8s.io/apiserver
 * pkg/cel/library and the cel-go extensions it enables) rather than of @bufbuild/cel where the two
 * differ:
 * - the strings extension (`split`, `substring`, `lowerAscii`, `indexOf`, ...), which the API
 *   server enables;
 * - `duration(string)` parsed as Go's `time.ParseDuration` (cel-go's implementation);
 * - `int(string)` parsed as Go's `strconv.ParseInt` (no spaces, no fractions);
 * - the Kubernetes URL library: `isURL`, `url` and its accessors but `getQuery`;
 * - the Kubernetes IP library's `isIP`.
 * Everything else (quantity, semver, cidr, ip(), format.*, authorizer, lists extensions, ...) is
 * absent: a rule that calls it is reported as not evaluated, never passed.
 */
export const KUBERNETES_FUNCTIONS: readonly CelFunc[] = [
  ...strings,
  celFunc('duration', [STRING], DYN, (text: string) => {
    const nanos = parseGoDuration(text);
    return create(DurationSchema, { seconds: nanos / 1_000_000_000n, nanos: Number(nanos % 1_000_000_000n) });
  }),
  celFunc('int', [STRING], INT, parseGoInt),
  celFunc('isURL', [STRING], BOOL, (text: string) => parseRequestUri(text) !== undefined),
  celFunc('url', [STRING], DYN, (text: string) => {
    const parsed = parseRequestUri(text);
    if (parsed === undefined) {
      throw new Error(`URL parse error during conversion from string: ${JSON.stringify(text)} is not an absolute URI or absolute path`);
    }
    return urlValue(parsed);
  }),
  urlAccessor('getScheme', (url) => url.scheme),
  urlAccessor('getHost', (url) => url.host),
  urlAccessor('getHostname', (url) => hostnameOf(url.host)),
  urlAccessor('getPort', (url) => portOf(url.host)),
  urlAccessor('getEscapedPath', (url) => url.path),
  celFunc('isIP', [STRING], BOOL, (text: string) => parseIpAddress(text) !== undefined),
];

// A URL value is a map under keys no CEL field selection can name (they are not identifiers), so
// only the accessor methods read it; the API server's type checker has already refused rules that
// would call them on anything but a URL.
const URL_MARKER = ' kubernetes.URL';
const URL_SCHEME = ' scheme';
const URL_HOST = ' host';
const URL_PATH = ' path';

interface RequestUri {
  readonly scheme: string;
  readonly host: string;
  /** The path as written: Go's EscapedPath keeps a valid escaping as it is. */
  readonly path: string;
}

function urlValue(url: RequestUri): Map<string, string | boolean> {
  return new Map<string, string | boolean>([[URL_MARKER, true], [URL_SCHEME, url.scheme], [URL_HOST, url.host], [URL_PATH, url.path]]);
}

function urlFields(value: CelMap): CelMap {
  if (!isCelMap(value) || value.get(URL_MARKER) !== true) {
    throw new Error('no such overload: URL accessors apply to url(...) values');
  }
  return value;
}

function urlAccessor(name: string, read: (url: RequestUri) => string): CelFunc {
  return celMethod(name, mapType(STRING, DYN), [], STRING, function (this: CelMap) {
    const fields = urlFields(this);
    return read({
      scheme: String(fields.get(URL_SCHEME)),
      host: String(fields.get(URL_HOST)),
      path: String(fields.get(URL_PATH)),
    });
  });
}

function hostnameOf(host: string): string {
  if (host.startsWith('[')) {
    return host.slice(1, host.indexOf(']'));
  }
  const colon = host.lastIndexOf(':');
  return colon < 0 ? host : host.slice(0, colon);
}

function portOf(host: string): string {
  const afterBracket = host.startsWith('[') ? host.slice(host.indexOf(']') + 1) : host;
  const colon = afterBracket.lastIndexOf(':');
  return colon < 0 ? '' : afterBracket.slice(colon + 1);
}

// Characters Go's net/url accepts unescaped in a host (shouldEscape with encodeHost).
const HOST_CHARACTER = /^[A-Za-z0-9\-._~!$&'()*+,;=:[\]<>"]$/;

/**
 * Go's `url.ParseRequestURI`, which the Kubernetes URL library uses: an absolute URI, or an
 * absolute path; no fragment is split off. Undefined where Go returns an error.
 */
function parseRequestUri(raw: string): RequestUri | undefined {
  // eslint-disable-next-line no-control-regex
  if (raw === '' || /[\x00-\x1f\x7f]/.test(raw)) {
    return undefined;
  }
  if (raw === '*') {
    return { scheme: '', host: '', path: '*' };
  }
  let scheme = '';
  let rest = raw;
  const schemeMatch = /^([A-Za-z][A-Za-z0-9+\-.]*):/.exec(raw);
  if (schemeMatch) {
    scheme = schemeMatch[1].toLowerCase();
    rest = raw.slice(schemeMatch[0].length);
  } else if (raw.startsWith(':')) {
    return undefined; // "missing protocol scheme"
  }
  if (rest.includes('?')) {
    rest = rest.slice(0, rest.indexOf('?'));
  }
  if (!rest.startsWith('/')) {
    // Go keeps a rootless path after a scheme as an opaque part; without a scheme it is no request URI.
    return scheme !== '' ? { scheme, host: '', path: '' } : undefined;
  }
  let host = '';
  if (scheme !== '' && rest.startsWith('//')) {
    const authorityEnd = rest.indexOf('/', 2);
    const authority = authorityEnd < 0 ? rest.slice(2) : rest.slice(2, authorityEnd);
    rest = authorityEnd < 0 ? '' : rest.slice(authorityEnd);
    const at = authority.lastIndexOf('@');
    if (at >= 0 && !/^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(authority.slice(0, at))) {
      return undefined; // "invalid userinfo"
    }
    const parsedHost = parseHost(authority.slice(at + 1));
    if (parsedHost === undefined) {
      return undefined;
    }
    host = parsedHost;
  }
  if (!validEscapes(rest)) {
    return undefined;
  }
  return { scheme, host, path: rest };
}

function parseHost(host: string): string | undefined {
  let portPart: string;
  if (host.startsWith('[')) {
    const close = host.lastIndexOf(']');
    if (close < 0) {
      return undefined; // "missing ']' in host"
    }
    portPart = host.slice(close + 1);
  } else {
    const colon = host.lastIndexOf(':');
    portPart = colon < 0 ? '' : host.slice(colon);
  }
  if (portPart !== '' && !/^:[0-9]*$/.test(portPart)) {
    return undefined; // "invalid port after host"
  }
  for (let index = 0; index < host.length; index++) {
    const character = host[index];
    if (character === '%') {
      // Go allows only %25 (the zone separator) and escapes of non-ASCII bytes in a host.
      const escape = host.slice(index, index + 3);
      if (!/^%[0-9A-Fa-f]{2}$/.test(escape) || (parseInt(escape.slice(1), 16) < 0x80 && escape !== '%25')) {
        return undefined;
      }
      index += 2;
    } else if (character.charCodeAt(0) < 0x80 && !HOST_CHARACTER.test(character)) {
      return undefined; // "invalid character in host name"
    }
  }
  return host;
}

function validEscapes(text: string): boolean {
  return !/%(?![0-9A-Fa-f]{2})/.test(text);
}

const GO_DURATION_UNITS: Readonly<Record<string, bigint>> = {
  'ns': 1n,
  'us': 1_000n,
  'µs': 1_000n, // U+00B5 micro sign
  'μs': 1_000n, // U+03BC Greek mu
  'ms': 1_000_000n,
  's': 1_000_000_000n,
  'm': 60_000_000_000n,
  'h': 3_600_000_000_000n,
};
const MAX_INT64 = (1n << 63n) - 1n;

/**
 * Go's `time.ParseDuration`, in nanoseconds: `[-+]?([0-9]*(\.[0-9]*)?[a-zµμ]+)+` or `0`, within
 * int64 nanoseconds. Throws like Go errors.
 */
export function parseGoDuration(text: string): bigint {
  const invalid = () => new Error(`time: invalid duration ${JSON.stringify(text)}`);
  let rest = text;
  let negative = false;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    negative = rest.startsWith('-');
    rest = rest.slice(1);
  }
  if (rest === '0') {
    return 0n;
  }
  if (rest === '') {
    throw invalid();
  }
  let total = 0n;
  while (rest !== '') {
    const part = /^([0-9]*)(?:\.([0-9]*))?([^0-9.]*)/.exec(rest);
    if (!part || (part[1] === '' && (part[2] ?? '') === '')) {
      throw invalid();
    }
    const [whole, integer, fraction = '', unitName] = part;
    const unit = GO_DURATION_UNITS[unitName];
    if (unitName === '') {
      throw new Error(`time: missing unit in duration ${JSON.stringify(text)}`);
    }
    if (unit === undefined) {
      throw new Error(`time: unknown unit ${JSON.stringify(unitName)} in duration ${JSON.stringify(text)}`);
    }
    total += BigInt(integer || '0') * unit;
    if (fraction !== '') {
      total += (BigInt(fraction) * unit) / 10n ** BigInt(fraction.length);
    }
    if (total > MAX_INT64 + (negative ? 1n : 0n)) {
      throw invalid();
    }
    rest = rest.slice(whole.length);
  }
  return negative ? -total : total;
}

/** Go's `strconv.ParseInt(text, 10, 64)`, which cel-go's `int(string)` uses. */
function parseGoInt(text: string): bigint {
  if (!/^[+-]?[0-9]+$/.test(text)) {
    throw new Error(`cannot convert ${JSON.stringify(text)} to int: invalid syntax`);
  }
  const value = BigInt(text);
  if (value > MAX_INT64 || value < -MAX_INT64 - 1n) {
    throw new Error(`cannot convert ${JSON.stringify(text)} to int: value out of range`);
  }
  return value;
}

/**
 * The 16 bytes of an IP address as Go's `netip.ParseAddr` reads it, refused as the Kubernetes IP
 * library refuses them: with a zone, or IPv4-mapped IPv6. Undefined when not an address.
 */
export function parseIpAddress(text: string): Uint8Array | undefined {
  if (text.includes('%')) {
    return undefined;
  }
  const bytes = text.includes(':') ? parseIpv6(text) : parseIpv4(text);
  if (bytes === undefined) {
    return undefined;
  }
  if (bytes.length === 16 && bytes.subarray(0, 10).every((byte) => byte === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return undefined;
  }
  return bytes;
}

function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^(0|[1-9][0-9]{0,2})$/.test(part) && Number(part) <= 255)) {
    return undefined;
  }
  return Uint8Array.from(parts.map(Number));
}

function parseIpv6(text: string): Uint8Array | undefined {
  const halves = text.split('::');
  if (halves.length > 2) {
    return undefined;
  }
  const groupsOf = (half: string): number[] | undefined => {
    if (half === '') {
      return [];
    }
    const groups: number[] = [];
    const parts = half.split(':');
    for (const [index, part] of parts.entries()) {
      if (index === parts.length - 1 && part.includes('.')) {
        const ipv4 = parseIpv4(part);
        if (ipv4 === undefined) {
          return undefined;
        }
        groups.push((ipv4[0] << 8) | ipv4[1], (ipv4[2] << 8) | ipv4[3]);
      } else if (/^[0-9A-Fa-f]{1,4}$/.test(part)) {
        groups.push(parseInt(part, 16));
      } else {
        return undefined;
      }
    }
    return groups;
  };
  const head = groupsOf(halves[0]);
  const tail = halves.length === 2 ? groupsOf(halves[1]) : [];
  if (head === undefined || tail === undefined) {
    return undefined;
  }
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) {
    return undefined;
  }
  const groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  return Uint8Array.from(groups.flatMap((group) => [group >> 8, group & 0xff]));
}
