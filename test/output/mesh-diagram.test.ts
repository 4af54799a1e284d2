import * as yaml from 'js-yaml';
import { Manifest, renderMeshDiagram } from '../../lib';

describe('renderMeshDiagram', () => {
  // GIVEN the objects of a small mesh, as they would be synthesized
  const manifests: Manifest[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'istio-system' } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'payments' } },
    {
      apiVersion: 'sailoperator.io/v1', kind: 'Istio', metadata: { name: 'default' },
      spec: { namespace: 'istio-system', values: { meshConfig: { extensionProviders: [{ name: 'jaeger', zipkin: { service: 'jaeger-collector.observability.svc.cluster.local', port: 9411 } }] } } },
    },
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'istio-ingressgateway', namespace: 'istio-ingress' },
      spec: { template: { metadata: { annotations: { 'inject.istio.io/templates': 'gateway' } } } },
    },
    {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kiali', namespace: 'istio-system' },
      data: { 'config.yaml': yaml.dump({ external_services: { prometheus: { url: 'http://prometheus-operated.monitoring:9090' } } }) },
    },
    {
      apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: { name: 'default', namespace: 'shop' },
      spec: { egress: [{ hosts: ['./*', 'istio-system/*', 'payments/api.payments.svc.cluster.local'] }] },
    },
  ];

  test('draws namespaces, components and wiring', () => {
    // WHEN
    const diagram = renderMeshDiagram(manifests);
    // THEN
    expect(diagram).toMatchSnapshot();
    expect(diagram).toContain('ns_istio_system -->|spans (jaeger)| ns_observability');
    expect(diagram).toContain('ns_istio_system -->|metrics| ns_monitoring');
    expect(diagram).toContain('ns_shop -->|egress| ns_payments');
    expect(diagram).toContain('ns_shop -->|egress| ns_istio_system');
    expect(diagram).toMatch(/ns_istio_ingress\["<b>istio-ingress<\/b><br\/>gateway istio-ingressgateway"\]/);
  });

  test('is the same for the same manifests', () => {
    expect(renderMeshDiagram(manifests)).toBe(renderMeshDiagram([...manifests]));
  });

  test('folds namespaces beyond the drawing limit into one node', () => {
    // GIVEN
    const many: Manifest[] = Array.from({ length: 50 }, (_, i) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ns-${String(i).padStart(2, '0')}` } }));
    // WHEN
    const diagram = renderMeshDiagram(many);
    // THEN
    expect(diagram).toContain('ns_more["10 more namespaces"]');
    expect(diagram).toContain('ns_ns_39');
    expect(diagram).not.toContain('ns_ns_40');
  });
});
