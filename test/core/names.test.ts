import {
  assertDnsLabel, assertImageReference, assertImageRepository, assertImageTag, assertLabels, assertRequestWithinLimit,
  assertServiceName, isDnsSubdomain, isLabelKey, isLabelValue, parseQuantity,
} from '../../lib/core/names';

describe('DNS names', () => {
  test.each(['a', 'shop', 'istio-demo', '1st', 'a'.repeat(63), 'constructor'])('namespace name %s is accepted', (name) => {
    expect(() => assertDnsLabel('namespace', name)).not.toThrow();
  });

  test.each(['', 'Shop', 'shop_1', '-shop', 'shop-', 'a.b', 'a'.repeat(64), '__proto__', 'toString'])('namespace name %p is refused', (name) => {
    expect(() => assertDnsLabel('namespace', name)).toThrow(/namespace must be a DNS-1123 label/);
  });

  test.each(['a', 'cart', 'reviews-v2', 'a'.repeat(63)])('service name %s is accepted', (name) => {
    expect(() => assertServiceName('service name', name)).not.toThrow();
  });

  test.each(['1cart', '9', 'Cart', 'cart_v2', 'cart-', 'a.b', 'a'.repeat(64), ''])('service name %p is refused (DNS-1035)', (name) => {
    expect(() => assertServiceName('service name', name)).toThrow(new RegExp(`service name must be a DNS-1035 label.*starting with a letter.*got '${name}'`));
  });

  test.each([
    ['example.com', true],
    ['app.kubernetes.io', true],
    [`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`, true],
    [`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`, false],
    ['Example.com', false],
    ['example..com', false],
    ['.example.com', false],
  ])('subdomain %s: %p', (name, valid) => {
    expect(isDnsSubdomain(name)).toBe(valid);
  });
});

describe('labels', () => {
  test.each([
    ['app', true],
    ['App_Name.v-1', true],
    ['app.kubernetes.io/name', true],
    ['example.com/a', true],
    ['a'.repeat(63), true],
    [`${'p'.repeat(253)}/x`, true],
    ['', false],
    ['a'.repeat(64), false],
    ['-app', false],
    ['app-', false],
    ['bad key!', false],
    ['/app', false],
    ['Example.com/app', false],
    ['example.com/', false],
    ['a/b/c', false],
    [`${'p'.repeat(254)}/x`, false],
    ['__proto__', false],
  ])('label key %p: %p', (key, valid) => {
    expect(isLabelKey(key)).toBe(valid);
  });

  test.each([
    ['', true],
    ['v1', true],
    ['1.30.3', true],
    ['A_b-c.d', true],
    ['a'.repeat(63), true],
    ['a'.repeat(64), false],
    ['-v1', false],
    ['v1.', false],
    ['not valid', false],
    ['a/b', false],
  ])('label value %p: %p', (value, valid) => {
    expect(isLabelValue(value)).toBe(valid);
  });

  test('a bad key or value is refused with the field, the value and the rule', () => {
    expect(() => assertLabels('labels', { 'team name': 'x' })).toThrow(/labels must have Kubernetes label keys \(an optional DNS subdomain prefix.*got key 'team name'/);
    expect(() => assertLabels('labels', { team: 'a b' })).toThrow(/labels must have Kubernetes label values \(empty, or at most 63 .*got 'a b' for key 'team'/);
    expect(() => assertLabels('labels', JSON.parse('{"__proto__": "x"}'))).toThrow(/got key '__proto__'/);
    expect(() => assertLabels('labels', { 'app.kubernetes.io/name': 'shop', 'empty': '' })).not.toThrow();
    expect(() => assertLabels('labels', undefined)).not.toThrow();
  });
});

describe('image references', () => {
  test.each([
    'docker.io/istio',
    'istio',
    'example.com/mirror/istio',
    'registry.example.com:5000/istio',
    'localhost:5000/a__b/c-d/e.f',
    '[::1]:5000/istio',
  ])('hub %s is accepted', (hub) => {
    expect(() => assertImageRepository('hub', hub)).not.toThrow();
  });

  test.each([
    'https://example.com/istio',
    'example.com/istio/',
    'Example.com/istio',
    'example.com/Istio',
    'example.com/istio:1.30',
    'example.com//istio',
    'example.com/-istio',
    'example.com/istio@sha256:0123456789abcdef0123456789abcdef',
    '',
    `example.com/${'a'.repeat(250)}`,
  ])('hub %p is refused', (hub) => {
    expect(() => assertImageRepository('hub', hub)).toThrow(/hub must be an image registry path/);
  });

  test.each(['1.30.3', 'latest', '_x', 'v1.30.3-distroless', 'A'.repeat(128)])('tag %s is accepted', (tag) => {
    expect(() => assertImageTag('tag', tag)).not.toThrow();
  });

  test.each(['', '.x', '-x', 'v1 30', 'a:b', 'a/b', 'A'.repeat(129)])('tag %p is refused', (tag) => {
    expect(() => assertImageTag('tag', tag)).toThrow(/tag must be an image tag/);
  });

  test.each([
    'docker.io/jaegertracing/jaeger:2.14.0',
    'jaegertracing/jaeger',
    'jaeger',
    'registry.example.com:5000/jaeger:2.14.0',
    `quay.io/kiali/kiali@sha256:${'a'.repeat(64)}`,
    `quay.io/kiali/kiali:v2.29.0@sha256:${'a'.repeat(64)}`,
  ])('image %s is accepted', (image) => {
    expect(() => assertImageReference('image', image)).not.toThrow();
  });

  test.each([
    'https://docker.io/jaegertracing/jaeger:2.14.0',
    'docker.io/jaegertracing/Jaeger:2.14.0',
    'jaeger:2.14 0',
    'jaeger:',
    'jaeger:-x',
    'jaeger@sha256:abc',
    'jaeger/',
    ' jaeger',
    '',
  ])('image %p is refused', (image) => {
    expect(() => assertImageReference('image', image)).toThrow(/image must be an image reference '\[registry\/\]repository\[:tag\]\[@digest\]'/);
  });
});

describe('quantities', () => {
  test.each([
    ['1', 1],
    ['500m', 0.5],
    ['1000m', 1],
    ['1.5', 1.5],
    ['.5', 0.5],
    ['2.', 2],
    ['+2', 2],
    ['100n', 1e-7],
    ['10u', 1e-5],
    ['1k', 1000],
    ['2M', 2e6],
    ['3G', 3e9],
    ['1T', 1e12],
    ['1P', 1e15],
    ['1E', 1e18],
    ['1Ki', 1024],
    ['128Mi', 128 * 1024 ** 2],
    ['2Gi', 2 * 1024 ** 3],
    ['1Ti', 1024 ** 4],
    ['1e3', 1000],
    ['129e6', 129e6],
    ['1E3', 1000],
    ['5e-1', 0.5],
    ['128974848', 128974848],
  ])('%s is %p', (text, amount) => {
    expect(parseQuantity('cpu', text)).toBeCloseTo(amount, 12);
  });

  test.each(['', 'half', '1 Gi', '1gi', '1GB', '1KiB', '-1', '1e', 'e3', '1.2.3', 'm', '1mi'])('%p is refused', (text) => {
    expect(() => parseQuantity('pilot.resources.requests.cpu', text)).toThrow(new RegExp(`pilot\\.resources\\.requests\\.cpu must be a Kubernetes quantity .*got '${text}'`));
  });

  test.each([
    ['cpu', '500m', '1'],
    ['cpu', '1', '1000m'],
    ['cpu', '0.1', '100m'],
    ['memory', '1Gi', '1024Mi'],
    ['memory', '1G', '1Gi'],
    ['memory', '1e9', '1G'],
    ['memory', '128Mi', undefined],
    ['memory', undefined, '128Mi'],
  ])('a %s request of %p within a limit of %p is accepted', (resource, request, limit) => {
    expect(() => assertRequestWithinLimit('pilot.resources', resource, request, limit)).not.toThrow();
  });

  test.each([
    ['cpu', '2', '500m'],
    ['cpu', '1001m', '1'],
    ['memory', '1Gi', '1G'],
    ['memory', '2Gi', '1024Mi'],
    ['memory', '1e10', '1Gi'],
  ])('a %s request of %s above a limit of %s is refused', (resource, request, limit) => {
    expect(() => assertRequestWithinLimit('pilot.resources', resource, request, limit))
      .toThrow(`pilot.resources: the ${resource} request ${request} is above the ${resource} limit ${limit}, which the API server refuses: lower the request or raise the limit`);
  });
});
