import { assertEgressHost, canonicalEgressHosts } from '../../lib';

describe('assertEgressHost', () => {
  test.each([
    './*',
    'istio-system/*',
    '*/*',
    '~/*',
    'shop/api.shop.svc.cluster.local',
    'shop/*.example.com',
    '*/httpbin.org',
  ])('accepts %s', (host) => {
    // THEN
    expect(() => assertEgressHost('egressHosts[0]', host)).not.toThrow();
  });

  test('a host without namespace names the field, the value and the expected form', () => {
    // THEN
    expect(() => assertEgressHost('egressHosts[1]', 'foo')).toThrow(/egressHosts\[1\] must be of the form namespace\/dnsName.*'\.\/\*'.*got 'foo'/);
  });

  test('a host with two slashes is rejected', () => {
    // THEN
    expect(() => assertEgressHost('egressHosts[0]', 'a/b/c')).toThrow(/egressHosts\[0\] must be of the form namespace\/dnsName.*got 'a\/b\/c'/);
  });

  test('a namespace that is not a DNS-1123 label is rejected', () => {
    // THEN
    expect(() => assertEgressHost('egressHosts[2]', 'Bad_NS/*')).toThrow(/egressHosts\[2\]: the namespace part must be '\.', '\*', '~' or a DNS-1123 namespace name.*got 'Bad_NS' in 'Bad_NS\/\*'/);
  });

  test.each(['shop/', 'shop/api..shop', 'shop/a*.example.com', 'shop/Under_score.example.com'])('rejects the dnsName of %s', (host) => {
    // THEN
    expect(() => assertEgressHost('egressHosts[0]', host)).toThrow(/the dnsName part must be '\*', a DNS name/);
  });
});

describe('canonicalEgressHosts', () => {
  test('puts ./* first, sorts the rest and drops duplicates', () => {
    // WHEN
    const hosts = canonicalEgressHosts(['payments/*', 'istio-system/*', './*', 'payments/*'], 'shop');
    // THEN
    expect(hosts).toEqual(['./*', 'istio-system/*', 'payments/*']);
  });

  test('drops hosts a namespace wildcard covers, own namespace included', () => {
    // WHEN
    const hosts = canonicalEgressHosts(['./*', 'shop/cart.shop.svc.cluster.local', 'ratings/*', 'ratings/ratings.ratings.svc.cluster.local', 'reviews/reviews.reviews.svc.cluster.local'], 'shop');
    // THEN
    expect(hosts).toEqual(['./*', 'ratings/*', 'reviews/reviews.reviews.svc.cluster.local']);
  });

  test('does not depend on the order hosts were added in', () => {
    // GIVEN
    const hosts = ['./*', 'b/*', 'a/x.a.svc.cluster.local', 'istio-system/*'];
    // THEN
    expect(canonicalEgressHosts([...hosts].reverse(), 'shop')).toEqual(canonicalEgressHosts(hosts, 'shop'));
  });
});
