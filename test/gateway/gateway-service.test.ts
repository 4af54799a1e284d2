import * as yaml from 'js-yaml';
import { ExternalTrafficPolicy, GatewayApiIngress, GatewayServiceSettings, GatewayServiceType, IngressGateway } from '../../lib';
import { findOne, fragmentChart, synthValid } from '../helpers/manifests';

// The load balancer settings every gateway chart user expects (an internal or NLB load balancer,
// the client's source address kept, an allow-list of clients), with the same keys and refusals
// for the injected gateway and the Gateway API gateway.
const INTERNAL_NLB: GatewayServiceSettings = {
  serviceAnnotations: {
    'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
    'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal',
  },
  externalTrafficPolicy: ExternalTrafficPolicy.LOCAL,
  loadBalancerSourceRanges: ['10.0.0.0/8', '2001:db8::/32'],
};

describe('gateway Service settings', () => {
  test('the injected gateway takes them on its Service', () => {
    // GIVEN
    const chart = fragmentChart();
    // WHEN
    new IngressGateway(chart, 'ingress', INTERNAL_NLB);
    // THEN
    const service = findOne(synthValid(chart), 'Service', 'istio-ingressgateway');
    // Sorted, whatever the order they were given in
    expect(Object.keys(service.metadata.annotations)).toEqual([
      'service.beta.kubernetes.io/aws-load-balancer-scheme', 'service.beta.kubernetes.io/aws-load-balancer-type',
    ]);
    expect(service.spec).toMatchObject({ type: 'LoadBalancer', externalTrafficPolicy: 'Local', loadBalancerSourceRanges: ['10.0.0.0/8', '2001:db8::/32'] });
    expect(service.spec.ports.map((p: any) => p.port)).toEqual([15021, 80, 443]);
  });

  test('without them the injected Service is as before: a LoadBalancer without annotations', () => {
    const chart = fragmentChart();
    new IngressGateway(chart, 'ingress');
    const service = findOne(synthValid(chart), 'Service', 'istio-ingressgateway');
    expect(service.metadata.annotations).toBeUndefined();
    expect(service.spec.externalTrafficPolicy).toBeUndefined();
    expect(service.spec.loadBalancerSourceRanges).toBeUndefined();
  });

  test('the Gateway API gateway takes the same settings in its Service patch', () => {
    const chart = fragmentChart();
    new GatewayApiIngress(chart, 'ingress', INTERNAL_NLB);
    const patch: any = yaml.load(findOne(synthValid(chart), 'ConfigMap', 'ingress-gateway-options').data.service);
    expect(patch).toEqual({
      metadata: { annotations: { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal', 'service.beta.kubernetes.io/aws-load-balancer-type': 'external' } },
      spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local', loadBalancerSourceRanges: ['10.0.0.0/8', '2001:db8::/32'] },
    });
  });

  test.each([
    ['externalTrafficPolicy on ClusterIP', { serviceType: GatewayServiceType.CLUSTER_IP, externalTrafficPolicy: ExternalTrafficPolicy.LOCAL }, /externalTrafficPolicy applies to LoadBalancer and NodePort.*got serviceType ClusterIP/],
    ['source ranges on NodePort', { serviceType: GatewayServiceType.NODE_PORT, loadBalancerSourceRanges: ['10.0.0.0/8'] }, /loadBalancerSourceRanges applies to LoadBalancer Services only, got serviceType NodePort/],
    ['a CIDR with a prefix too long', { loadBalancerSourceRanges: ['10.0.0.0/33'] }, /loadBalancerSourceRanges must hold CIDRs.*'10\.0\.0\.0\/33'/],
    ['an address without prefix', { loadBalancerSourceRanges: ['10.0.0.1'] }, /loadBalancerSourceRanges must hold CIDRs.*'10\.0\.0\.1'/],
    ['an annotation key with a space', { serviceAnnotations: { 'bad key': 'x' } }, /serviceAnnotations must have Kubernetes annotation keys.*'bad key'/],
  ])('refuses %s, for both gateway kinds', (_name, settings, message) => {
    expect(() => new IngressGateway(fragmentChart(), 'ingress', settings)).toThrow(message);
    expect(() => new GatewayApiIngress(fragmentChart(), 'ingress', settings)).toThrow(message);
  });
});
