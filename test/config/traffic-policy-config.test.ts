import { MeshSpec } from '../../lib';
import { guideMesh } from './bad-inputs';
import { findOne } from '../helpers/manifests';
import { buildValidated, problemsOf } from '../helpers/mesh-build';

/** The guide's mesh with a traffic policy on bookinfo's reviews. */
function withReviewsPolicy(trafficPolicy: unknown): MeshSpec {
  const spec = guideMesh();
  spec.workloads.namespaces['istio-demo'].services.reviews.trafficPolicy = trafficPolicy;
  return spec;
}

describe('mesh.yaml workloads.namespaces.<ns>.services.<svc>.trafficPolicy', () => {
  test('a DestinationRule and a mesh VirtualService for the service, in the workloads chart, durations as Istio reads them', () => {
    // WHEN
    const { byChart } = buildValidated(withReviewsPolicy({
      connectTimeout: '250ms',
      requestTimeout: '3s',
      retries: { attempts: 2, perTryTimeout: '1s', retryOn: ['connect-failure', '5xx'] },
      outlierDetection: { consecutive5xxErrors: 3, baseEjectionTime: '1m' },
      connectionPool: { maxConnections: 100, idleTimeout: '5m' },
    }));
    // THEN
    const rule = findOne(byChart.workloads, 'DestinationRule', 'reviews');
    expect(rule.metadata.namespace).toBe('istio-demo');
    expect(rule.spec).toEqual({
      host: 'reviews.istio-demo.svc.cluster.local',
      trafficPolicy: {
        connectionPool: { tcp: { connectTimeout: '0.25s', maxConnections: 100 }, http: { idleTimeout: '300s' } },
        outlierDetection: { consecutive5xxErrors: 3, interval: '10s', baseEjectionTime: '60s', maxEjectionPercent: 10 },
      },
    });
    expect(findOne(byChart.workloads, 'VirtualService', 'reviews').spec.http).toEqual([{
      route: [{ destination: { host: 'reviews.istio-demo.svc.cluster.local' } }],
      timeout: '3s',
      retries: { attempts: 2, perTryTimeout: '1s', retryOn: 'connect-failure,5xx' },
    }]);
    // AND the other services get none
    expect(byChart.workloads.filter((m) => m.kind === 'DestinationRule').map((m) => m.metadata!.name)).toEqual(['reviews']);
  });

  test.each([
    ['an empty policy', {}, 'workloads.namespaces.istio-demo.services.reviews.trafficPolicy', /^the traffic policy of service istio-demo\/reviews sets nothing: give it connectTimeout, requestTimeout, retries, outlierDetection or connectionPool/],
    ['a try longer than the request', { requestTimeout: '1s', retries: { attempts: 1, perTryTimeout: '2s' } }, 'workloads.namespaces.istio-demo.services.reviews.trafficPolicy.retries.perTryTimeout', /is longer than requestTimeout/],
    ['an ejection percentage above 100', { outlierDetection: { maxEjectionPercent: 101 } }, 'workloads.namespaces.istio-demo.services.reviews.trafficPolicy.outlierDetection.maxEjectionPercent', /must be a whole percentage from 0 to 100, got 101/],
  ])('refuses %s with its key path', (_name, policy, keyPath, message) => {
    expect(problemsOf(withReviewsPolicy(policy))).toEqual([{ path: keyPath, message: expect.stringMatching(message) }]);
  });
});
