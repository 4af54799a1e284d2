import { Chart, Testing } from 'cdk8s';
import { fragmentChart } from '../helpers/manifests';
import { EnvoyStatsPodMonitor, ExistingPrometheus, IstioScrapeConfig, IstiodServiceMonitor, Manifest, MeshRule, analyzeMesh } from '../../lib';

function namespace(name: string, labels: Record<string, string> = {}): Manifest {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

function service(name: string, ns: string, ports: number[]): Manifest {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { ports: ports.map((port) => ({ port })) } };
}

function sidecar(name: string, ns: string, spec: Record<string, unknown>): Manifest {
  return { apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: { name, namespace: ns }, spec };
}

function gatewayDeployment(ns: string): Manifest {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'ingressgateway', namespace: ns },
    spec: {
      selector: { matchLabels: { istio: 'ingressgateway' } },
      template: {
        metadata: { labels: { 'istio': 'ingressgateway', 'sidecar.istio.io/inject': 'true' }, annotations: { 'inject.istio.io/templates': 'gateway' } },
        spec: { containers: [{ name: 'istio-proxy', image: 'auto' }] },
      },
    },
  };
}

function kialiConfigMap(externalServices: Record<string, unknown>): Manifest {
  return {
    apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kiali', namespace: 'istio-system' },
    data: { 'config.yaml': `external_services: ${JSON.stringify(externalServices)}\n` },
  };
}

const messagesOf = (manifests: Manifest[], options = {}) => analyzeMesh(manifests, options).map((f) => `${f.rule} ${f.object} ${f.path}: ${f.message}`);

describe('analyzeMesh', () => {
  describe('namespaces', () => {
    test('accepts objects in emitted, external and built-in namespaces', () => {
      // GIVEN
      const manifests = [namespace('shop'), service('web', 'shop', [80]), service('legacy', 'billing', [80]), service('dns', 'kube-system', [53])];
      // THEN
      expect(analyzeMesh(manifests, { externalNamespaces: ['billing'] })).toEqual([]);
    });

    test('reports an object in a namespace nobody creates, and a namespaced object without namespace', () => {
      // GIVEN a Service in a misspelled namespace and a ConfigMap without one; a ClusterRole needs none
      const manifests = [
        namespace('shop'),
        service('web', 'shpo', [80]),
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'loose' } },
        { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader' }, rules: [] },
        { apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: { name: 'default' }, spec: {} },
      ];
      // WHEN
      const findings = analyzeMesh(manifests);
      // THEN
      expect(findings.map((f) => `${f.object} ${f.path}`)).toEqual(['Service/shpo/web metadata.namespace', 'ConfigMap/loose metadata', 'Sidecar/default metadata']);
      expect(findings[0]).toEqual({ rule: MeshRule.NAMESPACE_EXISTS, object: 'Service/shpo/web', path: 'metadata.namespace', message: expect.stringMatching(/namespace 'shpo' is neither in the output nor declared external: .*externalNamespaces/) });
      expect(findings).toMatchSnapshot();
    });
  });

  describe('Sidecar egress hosts', () => {
    test('accept emitted and external namespaces and the wildcards', () => {
      // GIVEN
      const manifests = [namespace('shop'), namespace('istio-system'), sidecar('default', 'shop', { egress: [{ hosts: ['./*', '*/*.example.com', '~/*', 'istio-system/*', 'billing/*'] }] })];
      // THEN
      expect(analyzeMesh(manifests, { externalNamespaces: ['billing'] })).toEqual([]);
    });

    test('report a namespace that does not exist, with the host path', () => {
      // GIVEN a typo in an egress namespace
      const manifests = [namespace('shop'), sidecar('default', 'shop', { egress: [{ hosts: ['./*'] }, { port: { number: 9411, protocol: 'HTTP', name: 'zipkin' }, hosts: ['./*', 'observabilty/*'] }] })];
      // THEN
      expect(messagesOf(manifests)).toEqual([
        "sidecar-egress-namespace Sidecar/shop/default spec.egress[1].hosts[1]: host 'observabilty/*' names namespace 'observabilty', which is neither in the output nor declared external: fix the namespace, add it to the output, or list it in externalNamespaces",
      ]);
    });
  });

  describe('default Sidecars', () => {
    test('allow one selector-less Sidecar per namespace, and any number with selectors', () => {
      const manifests = [
        namespace('shop'), namespace('cart'),
        sidecar('default', 'shop', {}), sidecar('default', 'cart', {}),
        sidecar('web', 'shop', { workloadSelector: { labels: { app: 'web' } } }),
      ];
      expect(analyzeMesh(manifests)).toEqual([]);
    });

    test('report the second selector-less Sidecar of a namespace', () => {
      const manifests = [namespace('shop'), sidecar('default', 'shop', {}), sidecar('extra', 'shop', {})];
      expect(messagesOf(manifests)).toEqual([expect.stringMatching(
        /^sidecar-default-unique Sidecar\/shop\/extra spec.workloadSelector: namespace 'shop' has 2 Sidecars without workloadSelector \(default, extra\)/)]);
    });
  });

  describe('injected gateways', () => {
    test('may live in a namespace with injection enabled or unlabelled', () => {
      expect(analyzeMesh([namespace('ingress', { 'istio-injection': 'enabled' }), gatewayDeployment('ingress')])).toEqual([]);
      expect(analyzeMesh([namespace('ingress'), gatewayDeployment('ingress')])).toEqual([]);
    });

    test('are reported in a namespace labelled istio-injection=disabled', () => {
      const findings = analyzeMesh([namespace('ingress', { 'istio-injection': 'disabled' }), gatewayDeployment('ingress')]);
      expect(findings).toEqual([{
        rule: MeshRule.GATEWAY_INJECTION, object: 'Namespace/ingress', path: "metadata.labels['istio-injection']",
        message: expect.stringMatching(/hosts the injected gateway Deployment\/ingress\/ingressgateway but disables injection/),
      }]);
    });
  });

  describe('fixed user ids on OpenShift', () => {
    const sailIstio = (platform?: string): Manifest => ({
      apiVersion: 'sailoperator.io/v1', kind: 'Istio', metadata: { name: 'default' },
      spec: { namespace: 'istio-system', profile: 'default', values: platform === undefined ? {} : { global: { platform } } },
    });
    const openShiftOperator: Manifest = { apiVersion: 'install.istio.io/v1alpha1', kind: 'IstioOperator', metadata: { name: 'istio', namespace: 'istio-system' }, spec: { profile: 'openshift' } };
    const pinned: Manifest[] = [
      namespace('ingress'), namespace('monitoring'), namespace('istio-system'),
      {
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'gateway', namespace: 'ingress' },
        spec: { selector: {}, template: { spec: { securityContext: { runAsUser: 1337 }, containers: [{ name: 'proxy', securityContext: { runAsGroup: 1337, runAsNonRoot: true } }] } } },
      },
      { apiVersion: 'monitoring.coreos.com/v1', kind: 'Prometheus', metadata: { name: 'prometheus', namespace: 'monitoring' }, spec: { securityContext: { runAsNonRoot: true, fsGroup: 2000 } } },
    ];

    test('are refused, each at its field, in an output that installs Istio for OpenShift', () => {
      const findings = (install: Manifest) => analyzeMesh([install, ...pinned]).filter((finding) => finding.rule === MeshRule.OPENSHIFT_FIXED_IDS);
      for (const install of [sailIstio('openshift'), openShiftOperator]) {
        expect(findings(install).map((finding) => `${finding.object} ${finding.path}`)).toEqual([
          'Deployment/ingress/gateway spec.template.spec.securityContext.runAsUser',
          'Deployment/ingress/gateway spec.template.spec.containers[0].securityContext.runAsGroup',
          'Prometheus/monitoring/prometheus spec.securityContext.fsGroup',
        ]);
      }
      expect(findings(sailIstio('openshift'))[0].message).toMatch(/^runAsUser 1337 is fixed, but the output installs Istio for OpenShift, whose restricted-v2 SCC assigns .*leave runAsUser out there \(ClusterPlatform\.use\(app, ClusterPlatform\.OPENSHIFT\)/);
    });

    test('are fine on other platforms', () => {
      expect(analyzeMesh([sailIstio(), ...pinned])).toEqual([]);
      expect(analyzeMesh([sailIstio('gke'), ...pinned])).toEqual([]);
    });
  });

  describe('one object per identity', () => {
    // case, the manifests, the findings
    const IDENTITIES: ReadonlyArray<readonly [string, Manifest[], unknown[]]> = [
      ['one Namespace emitted by two parts, with different labels', [namespace('observability'), namespace('observability', { 'istio-injection': 'enabled' })],
        ["unique-object Namespace/observability metadata.name: the output holds 2 objects Namespace/observability (v1): the API server knows an object by API group, kind, namespace and name, so each apply overwrites the one before: emit it once (a MeshNamespace merges the labels of every part sharing a namespace) or rename one"]],
      ['one Service three times, beside objects that differ in group, kind, namespace or name', [
        namespace('shop'), namespace('web'), service('web', 'shop', [80]), service('web', 'shop', [80]), service('web', 'shop', [8080]),
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web', namespace: 'shop' } },
        service('web', 'web', [80]),
        { apiVersion: 'serving.knative.dev/v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' } }],
        [expect.stringMatching(/^unique-object Service\/shop\/web metadata.name: the output holds 3 objects/), expect.stringMatching(/^unique-object Service\/shop\/web /)]],
      ['one HorizontalPodAutoscaler in two versions of its group', [namespace('shop'),
        { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'shop' } },
        { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'shop' } }],
        [expect.stringMatching(/^unique-object HorizontalPodAutoscaler\/shop\/web metadata.name: the output holds 2 objects .*\(autoscaling\/v1, autoscaling\/v2\)/)]],
    ];

    test.each(IDENTITIES)('%s is refused', (_case, manifests, findings) => {
      // GIVEN a manifest list with two objects the API server takes for one
      // WHEN it is analyzed
      const messages = messagesOf(manifests).filter((message) => message.startsWith('unique-object'));
      // THEN every object after the first is reported
      expect(messages).toEqual(findings);
    });
  });

  describe('URLs and addresses', () => {
    const backends = [
      namespace('istio-system'), namespace('observability'), namespace('monitoring'),
      service('grafana', 'monitoring', [3000]),
      { apiVersion: 'jaegertracing.io/v1', kind: 'Jaeger', metadata: { name: 'jaeger', namespace: 'observability' }, spec: {} },
      { apiVersion: 'monitoring.coreos.com/v1', kind: 'Prometheus', metadata: { name: 'k8s', namespace: 'monitoring' }, spec: {} },
    ];

    test('accept services of the output, operator-created services and external hosts', () => {
      // GIVEN Kiali, a Grafana datasource and meshConfig pointing at what the output defines
      const manifests = [
        ...backends,
        kialiConfigMap({
          prometheus: { url: 'http://prometheus-operated.monitoring:9090' },
          grafana: { internal_url: 'http://grafana.monitoring.svc.cluster.local:3000', external_url: 'https://grafana.example.com' },
          tracing: { internal_url: 'http://jaeger-query.observability:16685/jaeger', external_url: 'http://typo.nowhere' },
          custom_dashboards: { prometheus: { url: 'https://thanos.example.com' } },
        }),
        {
          apiVersion: 'grafana.integreatly.org/v1beta1', kind: 'GrafanaDatasource', metadata: { name: 'prometheus', namespace: 'monitoring' },
          spec: { instanceSelector: {}, datasource: { name: 'Prometheus', type: 'prometheus', access: 'proxy', url: 'http://prometheus-operated:9090' } },
        },
        {
          apiVersion: 'install.istio.io/v1alpha1', kind: 'IstioOperator', metadata: { name: 'mesh', namespace: 'istio-system' },
          spec: { meshConfig: {
            defaultConfig: { tracing: { zipkin: { address: 'jaeger-collector.observability:9411' } } },
            extensionProviders: [{ name: 'zipkin', zipkin: { service: 'jaeger-collector.observability.svc.cluster.local', port: 9411 } }],
          } },
        },
        {
          apiVersion: 'kiali.io/v1alpha1', kind: 'Kiali', metadata: { name: 'kiali', namespace: 'istio-system' },
          spec: { external_services: { prometheus: { url: 'http://metrics.shared-monitoring:9090' } } },
        },
      ];
      // THEN
      expect(analyzeMesh(manifests, { externalNamespaces: ['shared-monitoring'] })).toEqual([]);
    });

    test("know the Service istiod creates for a Gateway of class istio, and no other class's", () => {
      // GIVEN datasources that reach Prometheus through the gateways' Services
      const gateway = (name: string, gatewayClassName: string): Manifest => ({
        apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: { name, namespace: 'istio-ingress' },
        spec: { gatewayClassName, listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }] },
      });
      const datasource = (name: string, url: string): Manifest => ({
        apiVersion: 'grafana.integreatly.org/v1beta1', kind: 'GrafanaDatasource', metadata: { name, namespace: 'monitoring' },
        spec: { instanceSelector: {}, datasource: { name, type: 'prometheus', access: 'proxy', url } },
      });
      const manifests = [
        ...backends, namespace('istio-ingress'), gateway('public', 'istio'), gateway('other', 'envoy'),
        datasource('via-istio', 'http://public-istio.istio-ingress'), datasource('via-envoy', 'http://other-envoy.istio-ingress'),
      ];
      // WHEN
      const messages = messagesOf(manifests);
      // THEN only the other class's name is unknown
      expect(messages).toEqual([expect.stringMatching(/^service-reference GrafanaDatasource\/monitoring\/via-envoy .*'other-envoy' in namespace 'istio-ingress', which the output does not define/)]);
    });

    test('report a missing service, a wrong port and an unparsable URL, each at its path', () => {
      // GIVEN
      const manifests = [
        ...backends,
        kialiConfigMap({
          prometheus: { url: 'http://prometheus.monitoring:9090' },
          grafana: { internal_url: 'http://grafana.monitoring:80' },
          tracing: { internal_url: 'not a url' },
        }),
        {
          apiVersion: 'sailoperator.io/v1', kind: 'Istio', metadata: { name: 'default' },
          spec: { values: { meshConfig: { extensionProviders: [{ name: 'otel', opentelemetry: { service: 'otel-collector.tracing.svc.cluster.local', port: 4317 } }] } } },
        },
        {
          apiVersion: 'grafana.integreatly.org/v1beta1', kind: 'GrafanaDatasource', metadata: { name: 'loki', namespace: 'monitoring' },
          spec: { instanceSelector: {}, datasource: { name: 'Loki', type: 'loki', access: 'proxy', url: 'http://loki.example:3100' } },
        },
      ];
      // WHEN
      const messages = messagesOf(manifests, { externalHosts: ['loki.example'] });
      // THEN
      expect(messages).toEqual([
        expect.stringMatching(/^service-reference ConfigMap\/istio-system\/kiali data\['config.yaml'\].external_services.prometheus.url: 'http:\/\/prometheus.monitoring:9090' points at Service 'prometheus' in namespace 'monitoring', which the output does not define: wire the backend by reference/),
        "service-reference ConfigMap/istio-system/kiali data['config.yaml'].external_services.grafana.internal_url: 'http://grafana.monitoring:80' uses port 80, but Service grafana.monitoring has ports 3000: take the port from the backend's endpoint",
        "service-reference ConfigMap/istio-system/kiali data['config.yaml'].external_services.tracing.internal_url: 'not a url' is not a URL: write it as scheme://host:port/path",
        expect.stringMatching(/^service-reference Istio\/default spec.values.meshConfig.extensionProviders\[0\].opentelemetry.service: .* \(nor namespace 'tracing'\)/),
      ]);
      expect(messages).toMatchSnapshot();
    });
  });

  test('checks a 2,000-namespace mesh in linear time', () => {
    // GIVEN 2,000 namespaces, each with a Service and a default Sidecar that names the previous namespace
    const manifests: Manifest[] = [];
    for (let i = 0; i < 2000; i++) {
      manifests.push(namespace(`ns-${i}`), service('app', `ns-${i}`, [8080]), sidecar('default', `ns-${i}`, { egress: [{ hosts: ['./*', `ns-${Math.max(0, i - 1)}/*`] }] }));
    }
    // WHEN
    const started = process.hrtime.bigint();
    const findings = analyzeMesh(manifests);
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    // THEN
    expect(findings).toEqual([]);
    expect(elapsedMs).toBeLessThan(1000);
  });
});

describe('Sidecars and extension providers', () => {
  const COLLECTOR = 'jaeger-collector.observability.svc.cluster.local';
  const sailIstio = (extensionProviders: unknown[]): Manifest => ({
    apiVersion: 'sailoperator.io/v1', kind: 'Istio', metadata: { name: 'default' },
    spec: { namespace: 'istio-system', values: { meshConfig: { extensionProviders } } },
  });
  const zipkin = sailIstio([{ name: 'zipkin', zipkin: { service: COLLECTOR, port: 9411 } }]);
  const base = [namespace('istio-system'), namespace('observability'), namespace('shop'), service('jaeger-collector', 'observability', [9411])];
  const providerFindings = (manifests: Manifest[]) => messagesOf(manifests).filter((message) => message.startsWith('sidecar-extension-provider'));

  test('a hand-written Sidecar without the collector host is refused, naming the Sidecar, the provider and the fix', () => {
    // GIVEN the Sidecars SidecarScoping wrote before it knew of extension providers
    const manifests = [...base, zipkin,
      sidecar('default', 'istio-system', { egress: [{ hosts: ['./*', 'istio-system/*'] }] }),
      sidecar('default', 'shop', { egress: [{ hosts: ['./*', 'istio-system/*'] }] })];
    // WHEN
    const findings = providerFindings(manifests);
    // THEN
    expect(findings).toEqual(['istio-system', 'shop'].map((ns) => `sidecar-extension-provider Sidecar/${ns}/default spec.egress: its egress hosts do not `
      + `reach extension provider 'zipkin' (zipkin, service '${COLLECTOR}' in Istio/default spec.values.meshConfig): istiod builds no cluster `
      + "for a provider outside a proxy's Sidecar scope, and Envoy rejects the listener that uses it; add "
      + `'observability/${COLLECTOR}' to its egress hosts (a SidecarScoping given the control plane as extensionProviders adds it to every Sidecar it derives)`));
  });

  // case, egress hosts of Sidecar shop/default, whether they reach the collector
  const HOSTS: ReadonlyArray<readonly [string, string[], boolean]> = [
    ['any namespace, any host', ['*/*'], true],
    ['the whole namespace', ['./*', 'observability/*'], true],
    ['the host in its namespace', [`observability/${COLLECTOR}`], true],
    ['the host in any namespace', [`*/${COLLECTOR}`], true],
    ['a wildcard host in any namespace', ['*/*.svc.cluster.local'], true],
    ['the host in another namespace', [`shop/${COLLECTOR}`], false],
    ['another host of the namespace', ['observability/jaeger-query.observability.svc.cluster.local'], false],
    ['no namespace', [`~/${COLLECTOR}`, '~/*'], false],
    ['the own namespace only', ['./*', 'istio-system/*'], false],
  ];

  test.each(HOSTS)('egress hosts: %s', (_case, hosts, reaches) => {
    // GIVEN
    const manifests = [...base, zipkin, sidecar('default', 'shop', { egress: [{ hosts: ['./*'] }, { port: { number: 9080, protocol: 'HTTP', name: 'http' }, hosts }] })];
    // THEN
    expect(providerFindings(manifests)).toHaveLength(reaches ? 0 : 1);
  });

  test("./* counts in the Sidecar's own namespace: a Sidecar in observability reaches the collector", () => {
    expect(providerFindings([...base, zipkin, sidecar('default', 'observability', { egress: [{ hosts: ['./*'] }] })])).toEqual([]);
  });

  test('providers of an IstioOperator, the istio ConfigMap and every kind with a service are checked; a ServiceEntry host counts in its namespace', () => {
    // GIVEN an ext-authz provider in the IstioOperator, an ALS and an external OpenTelemetry host in the ConfigMap
    const operator: Manifest = {
      apiVersion: 'install.istio.io/v1alpha1', kind: 'IstioOperator', metadata: { name: 'istio', namespace: 'istio-system' },
      spec: { meshConfig: { extensionProviders: [{ name: 'authz', envoyExtAuthzGrpc: { service: 'authz/ext-authz.authz.svc.cluster.local', port: 9000 } }, { name: 'prom', prometheus: {} }] } },
    };
    const configMap: Manifest = {
      apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'istio', namespace: 'istio-system' },
      data: { mesh: 'extensionProviders:\n- name: als\n  envoyTcpAls:\n    service: als.logging.svc.cluster.local\n    port: 9000\n- name: otel\n  opentelemetry:\n    service: otel.example.com\n    port: 4317\n' },
    };
    const serviceEntry: Manifest = { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'otel', namespace: 'istio-system' }, spec: { hosts: ['otel.example.com'] } };
    const manifests = [...base, namespace('authz'), namespace('logging'), operator, configMap, serviceEntry,
      sidecar('default', 'shop', { egress: [{ hosts: ['./*', 'istio-system/*'] }] })];
    // WHEN
    const findings = providerFindings(manifests);
    // THEN the ServiceEntry host is reached through istio-system/*; the prometheus provider has no service
    expect(findings).toEqual([
      expect.stringMatching(/^sidecar-extension-provider Sidecar\/shop\/default spec.egress: .* provider 'authz' \(envoyExtAuthzGrpc, service 'authz\/ext-authz.authz.svc.cluster.local' in IstioOperator\/istio-system\/istio spec.meshConfig\).* add 'authz\/ext-authz.authz.svc.cluster.local'/),
      expect.stringMatching(/provider 'als' \(envoyTcpAls, service 'als.logging.svc.cluster.local' in ConfigMap\/istio-system\/istio data\['mesh'\]\).* add 'logging\/als.logging.svc.cluster.local'/),
    ]);
  });

  test('a Sidecar without egress listeners is left to the mesh-wide default', () => {
    expect(providerFindings([...base, zipkin, sidecar('ingress-only', 'shop', { workloadSelector: { labels: { app: 'web' } }, ingress: [] })])).toEqual([]);
  });
});

describe('one scrape per target', () => {
  // The constructs' own output, so the rule is tested against what the library writes.
  const render = (build: (chart: Chart, prometheus: ExistingPrometheus) => void): Manifest[] => {
    const chart = fragmentChart();
    build(chart, ExistingPrometheus.inCluster({ namespace: 'monitoring' }));
    return [namespace('monitoring'), namespace('shop'), namespace('cart'), ...Testing.synth(chart)];
  };
  const rulesOf = (manifests: Manifest[], rule: MeshRule) => analyzeMesh(manifests).filter((finding) => finding.rule === rule);

  test('the scrape Secret\'s jobs next to the monitors of the same targets are refused, each pair once', () => {
    // GIVEN
    const manifests = render((chart, prometheus) => {
      new IstioScrapeConfig(chart, 'scrape', { prometheus });
      new EnvoyStatsPodMonitor(chart, 'envoy', { prometheus });
      new IstiodServiceMonitor(chart, 'istiod', { prometheus });
    });
    // WHEN
    const findings = rulesOf(manifests, MeshRule.DUPLICATE_SCRAPE);
    // THEN
    expect(findings.map((finding) => [finding.object, finding.path])).toEqual([
      ['PodMonitor/monitoring/envoy-stats', 'spec.podMetricsEndpoints[0]'],
      ['ServiceMonitor/monitoring/istiod', 'spec.endpoints[0]'],
    ]);
    expect(findings[0].message).toMatch(/same targets as Secret\/monitoring\/additional-scrape-configs stringData\['prometheus-additional.yaml'\]\[1\] \(job envoy-stats\)/);
    expect(findings[0].message).toMatch(/pod port '\.\*-envoy-prom', \/stats\/prometheus, every namespace\).*twice.*keep one form/);
    expect(findings[1].message).toMatch(/\(job istiod\) \(Service port 'http-monitoring', \/metrics, namespaces istio-system\)/);
  });

  test('one form per target, disjoint namespaces or other Prometheus namespaces scrape each target once', () => {
    // GIVEN
    const secretOnly = render((chart, prometheus) => new IstioScrapeConfig(chart, 'scrape', { prometheus }));
    const monitorsOnly = render((chart, prometheus) => {
      new EnvoyStatsPodMonitor(chart, 'envoy', { prometheus });
      new IstiodServiceMonitor(chart, 'istiod', { prometheus });
    });
    const disjoint = render((chart, prometheus) => {
      new IstioScrapeConfig(chart, 'scrape', { prometheus, namespaces: ['shop'] });
      new EnvoyStatsPodMonitor(chart, 'envoy', { prometheus, namespaces: ['cart'] });
    });
    const perNamespace = render((chart, prometheus) => {
      for (const name of ['shop', 'cart']) {
        new EnvoyStatsPodMonitor(chart, name, { prometheus, name: 'envoy-stats', namespace: name, namespaces: [name] });
      }
    });
    // THEN
    for (const manifests of [secretOnly, monitorsOnly, disjoint, perNamespace]) {
      expect(rulesOf(manifests, MeshRule.DUPLICATE_SCRAPE)).toEqual([]);
    }
  });

  test('overlapping namespaces and base64 Secret data are compared too', () => {
    // GIVEN: a job written by hand as `data`, and a PodMonitor of two namespaces, one shared
    const job = { job_name: 'proxies', kubernetes_sd_configs: [{ role: 'pod', namespaces: { names: ['shop', 'ops'] } }],
      metrics_path: '/stats/prometheus', relabel_configs: [{ source_labels: ['__meta_kubernetes_pod_container_port_name'], action: 'keep', regex: '.*-envoy-prom' }] };
    const secret: Manifest = {
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 'jobs', namespace: 'monitoring' },
      data: { 'jobs.yaml': Buffer.from(JSON.stringify([job])).toString('base64') },
    };
    const manifests = render((chart, prometheus) => new EnvoyStatsPodMonitor(chart, 'envoy', { prometheus, namespaces: ['cart', 'shop'] }));
    // WHEN
    const findings = rulesOf([secret, ...manifests], MeshRule.DUPLICATE_SCRAPE);
    // THEN
    expect(findings).toEqual([expect.objectContaining({ object: 'PodMonitor/monitoring/envoy-stats', message: expect.stringMatching(/\(job proxies\).*namespaces shop\)/) })]);
  });

  test('a ServiceMonitor of istiod without the app target label is refused', () => {
    // GIVEN: the reference monitor of Istio's samples, without its targetLabels
    const monitor: Manifest = {
      apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'istio-component-monitor', namespace: 'monitoring' },
      spec: { selector: { matchLabels: { istio: 'pilot' } }, namespaceSelector: { any: true }, endpoints: [{ port: 'http-monitoring', interval: '15s' }] },
    };
    // WHEN
    const findings = rulesOf([namespace('monitoring'), monitor], MeshRule.ISTIOD_APP_LABEL);
    // THEN
    expect(findings).toEqual([expect.objectContaining({
      object: 'ServiceMonitor/monitoring/istio-component-monitor', path: 'spec.targetLabels', message: expect.stringMatching(/app="istiod" stay empty: add 'app'/),
    })]);
    expect(rulesOf(render((chart, prometheus) => new IstiodServiceMonitor(chart, 'istiod', { prometheus })), MeshRule.ISTIOD_APP_LABEL)).toEqual([]);
  });
});
