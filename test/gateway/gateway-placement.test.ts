import * as yaml from 'js-yaml';
import {
  GatewayApiIngress, GatewayPlacement, GatewayTopologySpread, IngressGateway, TaintEffect,
} from '../../lib';
import { findOne, fragmentChart, synthValid } from '../helpers/manifests';

/** The pod spec of the injected gateway's Deployment. */
function injectedPodSpec(placement?: GatewayPlacement): any {
  const chart = fragmentChart();
  new IngressGateway(chart, 'ingress', { placement });
  return findOne(synthValid(chart), 'Deployment', 'istio-ingressgateway').spec.template.spec;
}

/** The pod spec patch istiod applies to the Deployment it generates for a Gateway API gateway. */
function gatewayApiPodPatch(placement?: GatewayPlacement): any {
  const chart = fragmentChart();
  new GatewayApiIngress(chart, 'ingress', { placement });
  const deployment: any = yaml.load(findOne(synthValid(chart), 'ConfigMap', 'ingress-gateway-options').data.deployment);
  return deployment.spec.template.spec;
}

const spread = (labels: Record<string, string>, topologyKey: string, whenUnsatisfiable: string) => ({
  labelSelector: { matchLabels: labels },
  matchLabelKeys: ['pod-template-hash'],
  maxSkew: 1,
  topologyKey,
  whenUnsatisfiable,
});

const INJECTED_PODS = { app: 'istio-ingressgateway', istio: 'ingressgateway' };
const GATEWAY_API_PODS = { 'gateway.networking.k8s.io/gateway-name': 'ingress' };

describe('gateway placement', () => {
  test('by default the pods spread over nodes and zones where the scheduler can, on any node', () => {
    // WHEN
    const injected = injectedPodSpec();
    const gatewayApi = gatewayApiPodPatch();
    // THEN: soft constraints, so single-node and single-zone clusters still schedule every pod
    expect(injected.topologySpreadConstraints).toEqual([
      spread(INJECTED_PODS, 'kubernetes.io/hostname', 'ScheduleAnyway'),
      spread(INJECTED_PODS, 'topology.kubernetes.io/zone', 'ScheduleAnyway'),
    ]);
    expect(gatewayApi.topologySpreadConstraints).toEqual([
      spread(GATEWAY_API_PODS, 'kubernetes.io/hostname', 'ScheduleAnyway'),
      spread(GATEWAY_API_PODS, 'topology.kubernetes.io/zone', 'ScheduleAnyway'),
    ]);
    for (const pod of [injected, gatewayApi]) {
      expect(pod.nodeSelector).toBeUndefined();
      expect(pod.tolerations).toBeUndefined();
      expect(pod.affinity).toBeUndefined();
    }
  });

  test('requiredAcrossZones keeps zones within one pod; none leaves spreading to the scheduler', () => {
    // WHEN
    const required = injectedPodSpec({ topologySpread: GatewayTopologySpread.REQUIRED_ACROSS_ZONES });
    const none = gatewayApiPodPatch({ topologySpread: GatewayTopologySpread.NONE });
    // THEN
    expect(required.topologySpreadConstraints.map((c: any) => [c.topologyKey, c.whenUnsatisfiable])).toEqual([
      ['kubernetes.io/hostname', 'ScheduleAnyway'], ['topology.kubernetes.io/zone', 'DoNotSchedule'],
    ]);
    expect(none.topologySpreadConstraints).toBeUndefined();
  });

  test('dedicated ingress nodes: node selector, tolerations and affinity, the same for both gateway kinds', () => {
    // GIVEN
    const placement: GatewayPlacement = {
      nodeSelector: { 'node-role.example.com/ingress': 'true' },
      tolerations: [
        { key: 'node-role.example.com/ingress', effect: TaintEffect.NO_SCHEDULE },
        { key: 'dedicated', value: 'edge', effect: TaintEffect.NO_EXECUTE, tolerationSeconds: 300 },
      ],
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64', 'arm64'] }] }],
          },
        },
      },
    };
    // WHEN
    const injected = injectedPodSpec(placement);
    const gatewayApi = gatewayApiPodPatch(placement);
    // THEN
    for (const pod of [injected, gatewayApi]) {
      expect(pod.nodeSelector).toEqual({ 'node-role.example.com/ingress': 'true' });
      expect(pod.tolerations).toEqual([
        { effect: 'NoSchedule', key: 'node-role.example.com/ingress', operator: 'Exists' },
        { effect: 'NoExecute', key: 'dedicated', operator: 'Equal', tolerationSeconds: 300, value: 'edge' },
      ]);
      expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions)
        .toEqual([{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64', 'arm64'] }]);
    }
    // AND the Gateway API patch still sizes the proxy
    expect(gatewayApi.containers).toEqual([{ name: 'istio-proxy', resources: expect.objectContaining({ requests: { cpu: '100m', memory: '128Mi' } }) }]);
  });

  test('a toleration without key tolerates every taint', () => {
    expect(injectedPodSpec({ tolerations: [{}] }).tolerations).toEqual([{ operator: 'Exists' }]);
  });

  test.each([
    ['a node selector label that is not a label', { nodeSelector: { 'bad key!': 'x' } }, /placement\.nodeSelector.*'bad key!'/],
    ['a toleration key that is not a taint key', { tolerations: [{ key: 'Bad Key' }] }, /placement\.tolerations\[0\]\.key must be a taint key.*'Bad Key'/],
    ['a toleration value without key', { tolerations: [{ value: 'edge' }] }, /placement\.tolerations\[0\]\.value needs a key.*'edge'/],
    ['a toleration value that is not a label value', { tolerations: [{ key: 'dedicated', value: 'a b' }] }, /placement\.tolerations\[0\]\.value must be a taint value.*'a b'/],
    ['tolerationSeconds without NoExecute', { tolerations: [{ key: 'dedicated', effect: TaintEffect.NO_SCHEDULE, tolerationSeconds: 30 }] }, /placement\.tolerations\[0\]\.tolerationSeconds applies to effect NoExecute only.*got effect NoSchedule/],
    ['negative tolerationSeconds', { tolerations: [{}, { key: 'dedicated', effect: TaintEffect.NO_EXECUTE, tolerationSeconds: -1 }] }, /placement\.tolerations\[1\]\.tolerationSeconds must be a whole number of seconds.*-1/],
  ])('refuses %s, for both gateway kinds', (_name, placement, message) => {
    expect(() => new IngressGateway(fragmentChart(), 'ingress', { placement: placement as GatewayPlacement })).toThrow(message);
    expect(() => new GatewayApiIngress(fragmentChart(), 'ingress', { placement: placement as GatewayPlacement })).toThrow(message);
  });
});
