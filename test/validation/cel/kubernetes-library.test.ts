import { celEnv, isCelError, parse, plan } from '@bufbuild/cel';
import { celPropertyName } from '../../../lib/validation/cel/cel-input';
import { KUBERNETES_FUNCTIONS, parseGoDuration, parseIpAddress } from '../../../lib/validation/cel/kubernetes-library';

const env = celEnv({ funcs: [...KUBERNETES_FUNCTIONS] });

function evaluate(expression: string): unknown {
  const result = plan(env, parse(expression))({});
  return isCelError(result) ? `error: ${result.message}` : result;
}

describe('Kubernetes CEL functions', () => {
  test.each([
    ['1.5h', 5_400_000_000_000n],
    ['1h30m', 5_400_000_000_000n],
    ['.5s', 500_000_000n],
    ['5.s', 5_000_000_000n],
    ['-1m', -60_000_000_000n],
    ['+0', 0n],
    ['1µs', 1_000n],
    ['1μs', 1_000n],
    ['2562047h47m16.854775807s', 9_223_372_036_854_775_807n],
  ])('duration %s is read as Go reads it', (text, nanos) => {
    // THEN
    expect(parseGoDuration(text)).toBe(nanos);
  });

  test.each(['1d', '1', '', '-', '1h 30m', '.s', '2562047h47m16.854775808s'])('duration %j is refused as Go refuses it', (text) => {
    // THEN
    expect(() => parseGoDuration(text)).toThrow(/time: /);
  });

  test('duration() and int() of a string follow Go, not the lenient defaults', () => {
    // THEN
    expect(evaluate("duration('90m') == duration('1h30m')")).toBe(true);
    expect(evaluate("duration('1d')")).toMatch(/^error: .*unknown unit "d"/);
    expect(evaluate("int('8080')")).toBe(8080n);
    expect(evaluate("int(' 8080')")).toMatch(/^error: .*invalid syntax/);
    expect(evaluate("int('9223372036854775808')")).toMatch(/^error: .*out of range/);
  });

  test.each([
    ['https://example.com:8443/a%20b', ['https', 'example.com:8443', 'example.com', '8443', '/a%20b']],
    ['oci://registry.example.com/filter:1.0', ['oci', 'registry.example.com', 'registry.example.com', '', '/filter:1.0']],
    ['https://[::1]:80/', ['https', '[::1]:80', '::1', '80', '/']],
    ['/just/a/path', ['', '', '', '', '/just/a/path']],
    ['HTTP://Example.com', ['http', 'Example.com', 'Example.com', '', '']],
  ])('url %j is an absolute URI or path; scheme, host, hostname, port, path %j', (text, parts) => {
    // WHEN
    const quoted = JSON.stringify(text);
    const read = evaluate(['getScheme', 'getHost', 'getHostname', 'getPort', 'getEscapedPath'].map((accessor) => `url(${quoted}).${accessor}()`).join(" + '|' + "));
    // THEN
    expect(evaluate(`isURL(${quoted})`)).toBe(true);
    expect(read).toBe(parts.join('|'));
  });

  test.each(['registry.example.com/filter:1.0', 'https://example.com:port/', 'https://exa mple.com/', 'https://example.com/%zz', ''])('url %j is refused as Go\'s url.ParseRequestURI refuses it', (text) => {
    // WHEN
    const quoted = JSON.stringify(text);
    // THEN
    expect(evaluate(`isURL(${quoted})`)).toBe(false);
    expect(evaluate(`url(${quoted})`)).toMatch(/^error: .*URL parse error/);
  });

  test.each([
    ['10.0.0.1', true],
    ['0.0.0.0', true],
    ['::1', true],
    ['2001:db8::8a2e:370:7334', true],
    ['64:ff9b::192.0.2.33', true],
    ['010.0.0.1', false],
    ['256.0.0.1', false],
    ['1.2.3', false],
    ['::ffff:10.0.0.1', false],
    ['fe80::1%eth0', false],
    ['1:2:3:4:5:6:7:8:9', false],
    ['1::2::3', false],
    ['example.com', false],
  ])('isIP(%j) is %s', (text, expected) => {
    // THEN
    expect(parseIpAddress(text) !== undefined).toBe(expected);
    expect(evaluate(`isIP(${JSON.stringify(text)})`)).toBe(expected);
  });

  test('the strings extension is there: split, substring, lowerAscii', () => {
    // THEN
    expect(evaluate("'a/b'.split('/')[0] + 'UNIX://x'.lowerAscii().substring(0, 4)")).toBe('aunix');
  });

  test.each([
    ['namespace', '__namespace__'],
    ['x-kubernetes', 'x__dash__kubernetes'],
    ['a.b/c', 'a__dot__b__slash__c'],
    ['a__b', 'a__underscores__b'],
    ['plain', 'plain'],
    ['1st', undefined],
    ['with space', undefined],
  ])('property %j is reached by rules as %j', (name, celName) => {
    // THEN
    expect(celPropertyName(name)).toBe(celName);
  });
});
