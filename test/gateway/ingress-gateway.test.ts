import { Testing } from 'cdk8s';
import { GatewayDisruptionBudget, GatewayServiceType, IngressGateway, MeshNamespace, SidecarInjection } from '../../lib';
import { findOne, synthValid } from '../helpers/manifests';

describe('IngressGateway', () => {
  test("renders the gateway chart's objects in their own namespace", () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    const gateway = new IngressGateway(chart, 'ingress');
    // THEN
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    expect(manifests.map((m) => `${m.apiVersion}/${m.kind}`)).toEqual([
      'v1/Namespace', 'apps/v1/Deployment', 'v1/Service', 'v1/ServiceAccount', 'rbac.authorization.k8s.io/v1/Role',
      'rbac.authorization.k8s.io/v1/RoleBinding', 'autoscaling/v2/HorizontalPodAutoscaler', 'policy/v1/PodDisruptionBudget',
    ]);
    expect(manifests.filter((m) => m.kind !== 'Namespace').every((m) => m.metadata?.namespace === 'istio-ingress')).toBe(true);
    // AND the namespace carries no injection label: the pods ask for injection themselves
    expect(findOne(manifests, 'Namespace', 'istio-ingress').metadata.labels).toBeUndefined();
    expect(gateway.selectorLabels).toEqual({ app: 'istio-ingressgateway', istio: 'ingressgateway' });
  });

  test('pods ask the injector for the gateway template and run as non-root', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new IngressGateway(chart, 'ingress');
    // THEN
    const deployment = findOne(synthValid(chart), 'Deployment', 'istio-ingressgateway');
    const pod = deployment.spec.template;
    expect(pod.metadata.labels).toMatchObject({ 'sidecar.istio.io/inject': 'true', 'istio': 'ingressgateway', 'app': 'istio-ingressgateway' });
    expect(pod.metadata.labels['istio.io/rev']).toBeUndefined();
    expect(pod.metadata.annotations['inject.istio.io/templates']).toBe('gateway');
    expect(deployment.spec.replicas).toBeUndefined();
    expect(deployment.spec.selector.matchLabels).toEqual({ app: 'istio-ingressgateway', istio: 'ingressgateway' });
    expect(pod.spec.serviceAccountName).toBe('istio-ingressgateway');
    expect(pod.spec.securityContext.sysctls).toEqual([{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }]);
    const [container] = pod.spec.containers;
    expect(container.image).toBe('auto');
    expect(container.securityContext).toEqual({
      capabilities: { drop: ['ALL'] }, allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true,
      runAsUser: 1337, runAsGroup: 1337, runAsNonRoot: true,
    });
    expect(container.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '2000m', memory: '1024Mi' } });
  });

  test('Service, RBAC, autoscaler and disruption budget', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new IngressGateway(chart, 'ingress');
    // THEN
    const manifests = synthValid(chart);
    const service = findOne(manifests, 'Service', 'istio-ingressgateway');
    expect(service.spec.type).toBe('LoadBalancer');
    expect(service.spec.selector).toEqual({ app: 'istio-ingressgateway', istio: 'ingressgateway' });
    expect(service.spec.ports.map((p: any) => [p.name, p.port, p.targetPort])).toEqual([['status-port', 15021, 15021], ['http2', 80, 80], ['https', 443, 443]]);
    expect(findOne(manifests, 'Role').rules).toEqual([{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'watch', 'list'] }]);
    const binding = findOne(manifests, 'RoleBinding');
    expect(binding.roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'istio-ingressgateway' });
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'istio-ingressgateway' }]);
    const hpa = findOne(manifests, 'HorizontalPodAutoscaler');
    expect(hpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 5, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'istio-ingressgateway' } });
    expect(hpa.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
    const pdb = findOne(manifests, 'PodDisruptionBudget');
    expect(pdb.spec).toEqual({ minAvailable: 1, selector: { matchLabels: { app: 'istio-ingressgateway', istio: 'ingressgateway' } } });
  });

  test('options: existing namespace, name, revision, service type, scaling, budget, resources', () => {
    // GIVEN
    const chart = Testing.chart();
    const namespace = new MeshNamespace(chart, 'gateways', { name: 'gateways', injection: SidecarInjection.revision('canary') });
    // WHEN
    const gateway = new IngressGateway(chart, 'ingress', {
      namespace,
      name: 'istio-public-gateway',
      revision: 'canary',
      serviceType: GatewayServiceType.NODE_PORT,
      minReplicas: 3,
      maxReplicas: 10,
      targetCpuUtilizationPercent: 60,
      disruptionBudget: GatewayDisruptionBudget.maxUnavailable(1),
      resources: { cpuRequestMillicores: 500, memoryRequestMebibytes: 256, cpuLimitMillicores: 1000, memoryLimitMebibytes: 512 },
    });
    // THEN
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    expect(manifests.filter((m) => m.kind === 'Namespace')).toHaveLength(1);
    expect(gateway.namespace).toBe(namespace);
    expect(gateway.selectorLabels).toEqual({ app: 'istio-public-gateway', istio: 'public-gateway' });
    const deployment = findOne(manifests, 'Deployment', 'istio-public-gateway');
    expect(deployment.metadata.namespace).toBe('gateways');
    expect(deployment.spec.template.metadata.labels['istio.io/rev']).toBe('canary');
    expect(deployment.spec.template.spec.containers[0].resources).toEqual({ requests: { cpu: '500m', memory: '256Mi' }, limits: { cpu: '1000m', memory: '512Mi' } });
    expect(findOne(manifests, 'Service').spec.type).toBe('NodePort');
    expect(findOne(manifests, 'HorizontalPodAutoscaler').spec).toMatchObject({ minReplicas: 3, maxReplicas: 10 });
    expect(findOne(manifests, 'HorizontalPodAutoscaler').spec.metrics[0].resource.target.averageUtilization).toBe(60);
    expect(findOne(manifests, 'PodDisruptionBudget').spec.maxUnavailable).toBe(1);
    expect(findOne(manifests, 'PodDisruptionBudget').spec.minAvailable).toBeUndefined();
  });

  test('labels select the pods everywhere: Deployment, Service, disruption budget and selectorLabels', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    const gateway = new IngressGateway(chart, 'gw', { labels: { istio: 'edge-gateway' } });
    // THEN
    const manifests = synthValid(chart);
    expect(gateway.selectorLabels).toEqual({ istio: 'edge-gateway' });
    expect(findOne(manifests, 'Deployment').spec.selector.matchLabels).toEqual({ istio: 'edge-gateway' });
    expect(findOne(manifests, 'Deployment').spec.template.metadata.labels).toMatchObject({ 'istio': 'edge-gateway', 'app.kubernetes.io/name': 'istio-ingressgateway' });
    expect(findOne(manifests, 'Service').spec.selector).toEqual({ istio: 'edge-gateway' });
    expect(findOne(manifests, 'PodDisruptionBudget').spec.selector.matchLabels).toEqual({ istio: 'edge-gateway' });
  });

  test('labels that are no labels, or none at all, are refused', () => {
    expect(() => new IngressGateway(Testing.chart(), 'gw', { labels: { istio: 'edge gateway' } })).toThrow(/labels must have Kubernetes label values .*got 'edge gateway' for key 'istio'/);
    expect(() => new IngressGateway(Testing.chart(), 'gw', { labels: {} })).toThrow(/labels must hold at least one label/);
  });

  test('a namespace with istio-injection=disabled is refused', () => {
    // GIVEN
    const chart = Testing.chart();
    const namespace = new MeshNamespace(chart, 'ns', { name: 'istio-ingress', injection: SidecarInjection.disabled() });
    // THEN
    expect(() => new IngressGateway(chart, 'ingress', { namespace }))
      .toThrow(/namespace istio-ingress has istio-injection=disabled: .*start with image 'auto' and fail.*SidecarInjection.none\(\)/);
  });

  test("a namespace injected by another revision than the gateway's is refused", () => {
    // GIVEN
    const chart = Testing.chart();
    const stable = new MeshNamespace(chart, 'stable', { name: 'stable-gw', injection: SidecarInjection.revision('stable') });
    const enabled = new MeshNamespace(chart, 'enabled', { name: 'enabled-gw', injection: SidecarInjection.enabled() });
    // THEN
    expect(() => new IngressGateway(chart, 'a', { namespace: stable, revision: 'canary' }))
      .toThrow(/ingress gateway revision 'canary' conflicts with namespace stable-gw .*would get the stable revision's proxy/);
    expect(() => new IngressGateway(chart, 'b', { namespace: enabled, revision: 'canary' }))
      .toThrow(/conflicts with namespace enabled-gw .*the default revision's proxy/);
    expect(() => new IngressGateway(chart, 'c', { namespace: enabled })).not.toThrow();
  });

  test('bad scaling, budget and resources fail with the field and value', () => {
    // GIVEN
    const chart = Testing.chart();
    // THEN
    expect(() => new IngressGateway(chart, 'a', { minReplicas: 0 })).toThrow(/minReplicas must be a positive integer, got 0/);
    expect(() => new IngressGateway(chart, 'b', { minReplicas: 4, maxReplicas: 3 })).toThrow(/maxReplicas must be at least minReplicas \(4\), got 3/);
    expect(() => new IngressGateway(chart, 'c', { minReplicas: 1 })).toThrow(/disruption budget minAvailable \(1\) must be less than minReplicas \(1\)/);
    expect(() => new IngressGateway(chart, 'd', { targetCpuUtilizationPercent: 0.5 })).toThrow(/targetCpuUtilizationPercent.*got 0.5/);
    expect(() => GatewayDisruptionBudget.minAvailable(0)).toThrow(/minAvailable must be a positive integer, got 0/);
    expect(() => new IngressGateway(chart, 'e', { resources: { cpuRequestMillicores: 3000 } })).toThrow(/cpuLimitMillicores \(2000\) must be at least cpuRequestMillicores \(3000\)/);
    expect(() => new IngressGateway(chart, 'f', { resources: { memoryLimitMebibytes: 64 } })).toThrow(/memoryLimitMebibytes \(64\) must be at least memoryRequestMebibytes \(128\)/);
    expect(() => new IngressGateway(chart, 'g', { name: 'Gateway' })).toThrow(/gateway name must be a DNS-1123 label.*'Gateway'/);
  });

  test('one replica is possible with a budget that allows a drain', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new IngressGateway(chart, 'ingress', { minReplicas: 1, disruptionBudget: GatewayDisruptionBudget.maxUnavailable(1) });
    // THEN
    expect(findOne(synthValid(chart), 'HorizontalPodAutoscaler').spec.minReplicas).toBe(1);
  });
});
