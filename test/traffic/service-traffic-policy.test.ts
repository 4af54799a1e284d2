import { Duration, Testing } from 'cdk8s';
import { RetryCondition, ServiceTrafficPolicy, SidecarScoping } from '../../lib';
import { findOne, fragmentChart, synthValid } from '../helpers/manifests';

function reviews(chart: ReturnType<typeof fragmentChart>) {
  const scoping = new SidecarScoping(chart, 'scoping', { rootNamespace: 'istio-system', meshDefaultSidecar: false });
  return scoping.addNamespace('bookinfo', { name: 'bookinfo' }).addService('reviews', { ports: [9080] });
}

describe('ServiceTrafficPolicy', () => {
  test('a DestinationRule for the host with timeouts, a circuit breaker and outlier detection, and the request settings on a mesh VirtualService', () => {
    // GIVEN
    const chart = fragmentChart();
    const service = reviews(chart);
    // WHEN
    new ServiceTrafficPolicy(chart, 'reviews-policy', {
      service,
      connectTimeout: Duration.millis(250),
      requestTimeout: Duration.seconds(3),
      retries: { attempts: 2, perTryTimeout: Duration.seconds(1), retryOn: [RetryCondition.CONNECT_FAILURE, RetryCondition.GATEWAY_ERROR] },
      outlierDetection: { consecutive5xxErrors: 3, interval: Duration.seconds(5), baseEjectionTime: Duration.minutes(1), maxEjectionPercent: 50 },
      connectionPool: { maxConnections: 100, maxPendingRequests: 10, maxRequests: 200, maxRequestsPerConnection: 50, idleTimeout: Duration.minutes(5) },
    });
    // THEN
    const manifests = synthValid(chart);
    expect(manifests.filter((m) => m.kind === 'DestinationRule' || m.kind === 'VirtualService')).toMatchSnapshot();
    const rule = findOne(manifests, 'DestinationRule', 'reviews');
    expect(rule.metadata.namespace).toBe('bookinfo');
    // By reference: the service's host, whatever its namespace
    expect(rule.spec.host).toBe(service.fqdn);
    expect(rule.spec.trafficPolicy).toEqual({
      connectionPool: {
        tcp: { connectTimeout: '0.25s', maxConnections: 100 },
        http: { http1MaxPendingRequests: 10, http2MaxRequests: 200, maxRequestsPerConnection: 50, idleTimeout: '300s' },
      },
      outlierDetection: { consecutive5xxErrors: 3, interval: '5s', baseEjectionTime: '60s', maxEjectionPercent: 50 },
    });
    // No tls: Istio's automatic mutual TLS stays on
    expect(rule.spec.trafficPolicy.tls).toBeUndefined();
    const routes = findOne(manifests, 'VirtualService', 'reviews');
    expect(routes.spec).toEqual({
      hosts: ['reviews.bookinfo.svc.cluster.local'],
      http: [{ route: [{ destination: { host: 'reviews.bookinfo.svc.cluster.local' } }], timeout: '3s', retries: { attempts: 2, perTryTimeout: '1s', retryOn: 'connect-failure,gateway-error' } }],
    });
  });

  test('outlier detection alone takes Istio-like defaults and needs no VirtualService', () => {
    const chart = fragmentChart();
    new ServiceTrafficPolicy(chart, 'policy', { service: reviews(chart), outlierDetection: {} });
    const manifests = synthValid(chart);
    expect(findOne(manifests, 'DestinationRule').spec.trafficPolicy).toEqual({
      outlierDetection: { consecutive5xxErrors: 5, interval: '10s', baseEjectionTime: '30s', maxEjectionPercent: 10 },
    });
    expect(manifests.filter((m) => m.kind === 'VirtualService')).toEqual([]);
  });

  test('attempts 0 turns the retries Istio adds by default off', () => {
    const chart = fragmentChart();
    new ServiceTrafficPolicy(chart, 'policy', { service: reviews(chart), retries: { attempts: 0 } });
    expect(findOne(synthValid(chart), 'VirtualService').spec.http[0].retries).toEqual({ attempts: 0 });
  });

  test('same input, same output', () => {
    const render = () => {
      const chart = fragmentChart();
      new ServiceTrafficPolicy(chart, 'policy', { service: reviews(chart), connectTimeout: Duration.seconds(1), retries: { attempts: 1, retryOn: [RetryCondition.RESET, RetryCondition.RESET] } });
      return JSON.stringify(Testing.synth(chart));
    };
    expect(render()).toEqual(render());
    expect(render()).toContain('"retryOn":"reset"');
  });

  test.each([
    ['no setting', {}, /the traffic policy of service bookinfo\/reviews sets nothing/],
    ['a sub-millisecond connect timeout', { connectTimeout: Duration.millis(0.5) }, /connectTimeout must be a whole number of milliseconds, at least 1ms, got 0\.5ms/],
    ['negative attempts', { retries: { attempts: -1 } }, /retries\.attempts must be a whole number, 0 or more, got -1/],
    ['a try longer than the request', { requestTimeout: Duration.seconds(1), retries: { attempts: 2, perTryTimeout: Duration.seconds(2) } }, /retries\.perTryTimeout \(2 seconds\) is longer than requestTimeout \(1 second\)/],
    ['no retry condition', { retries: { attempts: 2, retryOn: [] } }, /retries\.retryOn must name at least one condition/],
    ['an ejection percentage above 100', { outlierDetection: { maxEjectionPercent: 150 } }, /outlierDetection\.maxEjectionPercent must be a whole percentage from 0 to 100, got 150/],
    ['zero connections', { connectionPool: { maxConnections: 0 } }, /connectionPool\.maxConnections must be a whole number from 1 to 2147483647, got 0/],
  ])('refuses %s', (_name, settings, message) => {
    const chart = fragmentChart();
    expect(() => new ServiceTrafficPolicy(chart, 'policy', { service: reviews(chart), ...settings })).toThrow(message);
  });
});
