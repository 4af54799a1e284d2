import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { ARGOCD_SYNC_WAVE, Manifest, MeshSpec, MeshWarningCode, MeshWarnings } from '../../lib';
import { findOne } from '../helpers/manifests';
import { buildValidated, problemsOf } from '../helpers/mesh-build';

const guideMesh = (): MeshSpec => yaml.load(fs.readFileSync(path.join(__dirname, '..', '..', 'mesh.yaml'), 'utf8')) as MeshSpec;

const build = buildValidated;

const describeObject = (manifest: Manifest) => [manifest.kind, manifest.metadata?.namespace, manifest.metadata?.name].filter(Boolean).join('/');

describe('buildMesh', () => {
  test('the guide\'s mesh: six charts in apply order, every object, and the namespaces it relies on', () => {
    // WHEN
    const { mesh, byChart, istioctl } = build(guideMesh());
    // THEN
    expect(mesh.charts.map((chart) => chart.node.id)).toEqual(['observability', 'istio', 'monitoring', 'dashboards', 'kiali', 'workloads']);
    expect(mesh.externalNamespaces).toEqual(['grafana', 'monitoring']);
    // The Sail path installs the control plane once: no istioctl file beside the Sail Istio.
    expect(mesh.istioctlApp).toBeUndefined();
    expect(mesh.notForApply).toEqual([]);
    expect(Object.keys(mesh.extraFiles)).toEqual(['reports/scope-report.md', 'reports/scope-report.json']);
    // Sync waves are the apply phases: namespaces, then the control plane, then what needs it.
    expect(findOne(byChart.kiali, 'Deployment').metadata.annotations[ARGOCD_SYNC_WAVE]).toBe('40');
    expect(findOne(byChart.istio, 'Istio').metadata.annotations[ARGOCD_SYNC_WAVE]).toBe('30');
    expect(findOne(byChart.istio, 'Namespace', 'istio-system').metadata.annotations[ARGOCD_SYNC_WAVE]).toBe('10');
    expect({
      charts: Object.fromEntries(Object.entries(byChart).map(([id, manifests]) => [id, manifests.map(describeObject)])),
      istioctl: istioctl.map(describeObject),
    }).toMatchSnapshot();
  });

  test('Jaeger v1 through the operator, with Elasticsearch: the mesh and Kiali use its services', () => {
    // GIVEN
    const spec: MeshSpec = {
      ...guideMesh(),
      tracing: {
        samplingPercent: 2.5,
        backend: {
          jaeger: {
            name: 'traces', namespace: 'tracing', strategy: 'production' as any,
            storage: { elasticsearch: { serverUrls: ['https://es.logging:9200'], secretName: 'jaeger-es' } },
          },
        },
      },
    };
    // WHEN
    const { byChart } = build(spec);
    // THEN
    const jaeger = findOne(byChart.observability, 'Jaeger');
    expect(jaeger.metadata).toMatchObject({ name: 'traces', namespace: 'tracing' });
    expect(jaeger.spec).toMatchObject({ strategy: 'production', storage: { type: 'elasticsearch', secretName: 'jaeger-es' } });
    expect(findOne(byChart.observability, 'Namespace').metadata.name).toBe('tracing');
    const istio = findOne(byChart.istio, 'Istio');
    expect(istio.spec.values.meshConfig.extensionProviders).toEqual([{ name: 'zipkin', zipkin: { service: 'traces-collector.tracing.svc.cluster.local', port: 9411 } }]);
    expect(findOne(byChart.istio, 'Telemetry').spec.tracing[0].randomSamplingPercentage).toBe(2.5);
    expect(findOne(byChart.kiali, 'ConfigMap').data['config.yaml']).toContain('internal_url: http://traces-query.tracing:16685');
  });

  test('backends outside the app: no observability chart, a ServiceEntry for the Zipkin host, Prometheus by URL', () => {
    // GIVEN
    const spec: MeshSpec = {
      controlPlane: { kubernetesVersion: '1.34' },
      tracing: { backend: { external: { zipkinUrl: 'http://zipkin.example.com:9411', queryUrl: 'https://jaeger.example.com' } } },
      metrics: { prometheus: { external: { url: 'https://prometheus.example.com' } } },
      kiali: { viewOnlyMode: true },
    };
    // WHEN
    const { mesh, byChart } = build(spec);
    // THEN
    expect(mesh.charts.map((chart) => chart.node.id)).toEqual(['istio', 'kiali']);
    expect(findOne(byChart.istio, 'ServiceEntry').spec.hosts).toEqual(['zipkin.example.com']);
    expect(findOne(byChart.kiali, 'ConfigMap').data['config.yaml']).toContain('url: https://prometheus.example.com:443');
    expect(mesh.externalNamespaces).toEqual([]);
  });

  test('a rendered Prometheus sized in mesh.yaml: volume, StorageClass, retention size and resources; an emptyDir warns', () => {
    // GIVEN
    const sized: MeshSpec = {
      controlPlane: {},
      metrics: {
        prometheus: {
          server: {
            storage: { persistentVolume: { sizeGibibytes: 100, storageClassName: 'premium-rwo' } },
            retentionSizeGibibytes: 80,
            resources: { cpuRequestMillicores: 1000, memoryLimitMebibytes: 8192 },
          },
        },
      },
    };
    const scratch: MeshSpec = { controlPlane: {}, metrics: { prometheus: { server: { storage: { emptyDir: { sizeLimitGibibytes: 10 } } } } } };
    // WHEN
    const built = build(sized);
    const throwaway = build(scratch);
    // THEN
    const spec = findOne(built.byChart.monitoring, 'Prometheus').spec;
    expect(spec.storage).toEqual({ volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '100Gi' } }, storageClassName: 'premium-rwo' } } });
    expect(spec.retentionSize).toBe('81920MB');
    expect(spec.resources).toEqual({ requests: { cpu: '1000m', memory: '2048Mi' }, limits: { cpu: '2', memory: '8192Mi' } });
    expect(MeshWarnings.of(built.mesh.charts[0]).all.map((w) => w.code)).not.toContain(MeshWarningCode.PROMETHEUS_RETENTION_WITHOUT_STORAGE);
    const scratchSpec = findOne(throwaway.byChart.monitoring, 'Prometheus').spec;
    expect(scratchSpec.storage).toEqual({ emptyDir: { sizeLimit: '10Gi' } });
    expect(scratchSpec.retentionSize).toBe('8192MB');
    expect(MeshWarnings.of(throwaway.mesh.charts[0]).all.map((w) => w.code)).toContain(MeshWarningCode.PROMETHEUS_RETENTION_WITHOUT_STORAGE);
  });

  test('a rendered Prometheus and Grafana: their namespaces, the scrape Secret wired in, durations as written', () => {
    // GIVEN
    const spec: MeshSpec = {
      controlPlane: {},
      metrics: {
        prometheus: { server: { namespace: 'metrics', scrapeInterval: '30s', retention: '7d' } },
        scrapeConfig: { scrapeInterval: '1m30s' },
        recordingRules: { evaluationInterval: '10s', podIdentityLabels: ['kubernetes_namespace', 'kubernetes_pod_name'] },
      },
      dashboards: {
        grafana: { instance: { namespace: 'grafana-ops', externalUrl: 'https://grafana.example.com' } },
        datasource: { scrapeInterval: '30s' },
        istioDashboards: { mesh: {}, controlPlane: { revision: 3 } },
        extraDashboards: [{ id: 1860, name: 'node-exporter' }],
        folder: 'Mesh',
        resyncPeriod: '36h',
      },
    };
    // WHEN
    const { mesh, byChart } = build(spec);
    // THEN
    expect(mesh.externalNamespaces).toEqual([]);
    expect(byChart.monitoring.filter((m) => m.kind === 'Namespace').map((m) => m.metadata?.name)).toEqual(['metrics']);
    const prometheus = findOne(byChart.monitoring, 'Prometheus');
    expect(prometheus.spec).toMatchObject({ scrapeInterval: '30s', retention: '7d', additionalScrapeConfigs: { name: 'additional-scrape-configs', key: 'prometheus-additional.yaml' } });
    expect(findOne(byChart.monitoring, 'Secret').stringData['prometheus-additional.yaml']).toContain('scrape_interval: 1m30s');
    expect(findOne(byChart.monitoring, 'PrometheusRule').spec.groups[0].rules[0].expr).toBe('sum without(instance, kubernetes_namespace, kubernetes_pod_name) (istio_requests_total)');
    expect(findOne(byChart.dashboards, 'Grafana').metadata.namespace).toBe('grafana-ops');
    const dashboards = byChart.dashboards.filter((m) => m.kind === 'GrafanaDashboard') as any[];
    expect(dashboards.map((d) => [d.metadata.name, d.spec.grafanaCom, d.spec.folder, d.spec.resyncPeriod])).toEqual([
      ['istio-mesh', { id: 7639 }, 'Mesh', '36h'],
      ['istio-control-plane', { id: 7645, revision: 3 }, 'Mesh', '36h'],
      ['node-exporter', { id: 1860 }, 'Mesh', '36h'],
    ]);
  });

  test('Istio\'s dashboards are pinned to the revision of controlPlane.version\'s release; a revision key wins; an unknown release warns in mesh.yaml words', () => {
    // GIVEN
    const withIstio = (version: string | undefined, istioDashboards?: NonNullable<MeshSpec['dashboards']>['istioDashboards']): MeshSpec => ({
      controlPlane: version === undefined ? {} : { version },
      metrics: { prometheus: { inCluster: { namespace: 'monitoring' } } },
      dashboards: { grafana: { instance: { externalUrl: 'https://grafana.example.com' } }, ...(istioDashboards && { istioDashboards }) },
    });
    // WHEN
    const pinned = build(withIstio('1.29.6'));
    const overridden = build(withIstio('1.29.6', { mesh: { revision: 299 }, service: {} }));
    const unknown = build(withIstio('1.30.3'));
    // THEN
    const revisions = (built: ReturnType<typeof build>) => built.byChart.dashboards.filter((m) => m.kind === 'GrafanaDashboard').map((d: any) => d.spec.grafanaCom.revision);
    expect(revisions(pinned)).toEqual([300, 300, 300, 300, 300]);
    expect(revisions(overridden)).toEqual([299, 300]);
    expect(revisions(unknown)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    const codes = (built: ReturnType<typeof build>) => MeshWarnings.of(built.mesh.charts[0]).all.map((w) => w.code);
    expect(codes(pinned)).not.toContain(MeshWarningCode.ISTIO_DASHBOARDS_UNPINNED);
    expect(codes(unknown)).toContain(MeshWarningCode.ISTIO_DASHBOARDS_UNPINNED);
    expect(unknown.mesh.warnings.find((line) => line.startsWith("Istio's dashboards"))).toMatch(
      /follow grafana\.com's newest revision.*Istio 1\.30 .*: set dashboards\.istioDashboards\.<mesh\|performance\|service\|workload\|controlPlane>\.revision to the revision whose description on grafana\.com names the Istio release/);
  });

  test('each target is scraped once: the scrape Secret and a monitor for the same targets are refused', () => {
    // GIVEN
    const metrics = (more: Partial<MeshSpec['metrics']>): MeshSpec => ({
      controlPlane: {}, metrics: { prometheus: { inCluster: { namespace: 'monitoring' } }, scrapeConfig: {}, ...more },
    });
    // WHEN the Secret's jobs and the monitors select the same istiod and proxies
    const problems = problemsOf(metrics({ envoyStatsMonitor: {}, istiodMonitor: {} }));
    // THEN
    expect(problems.map((problem) => problem.path)).toEqual(['metrics.istiodMonitor', 'metrics.envoyStatsMonitor']);
    expect(problems[0].message).toMatch(/istiod job of metrics.scrapeConfig scrapes already.*two job labels double every sum.*keep one form/);
    expect(problems[1].message).toMatch(/Envoy proxies of every namespace, which the envoy-stats job of metrics.scrapeConfig/);
    expect(problemsOf(metrics({ scrapeConfig: { namespaces: ['shop', 'cart'] }, envoyStatsMonitor: { namespaces: ['cart', 'ops'] } })))
      .toEqual([expect.objectContaining({ path: 'metrics.envoyStatsMonitor', message: expect.stringMatching(/proxies of namespaces cart,/) })]);
    // Disjoint namespaces, or one form per target, scrape each target once.
    expect(problemsOf(metrics({ scrapeConfig: { namespaces: ['shop'] }, envoyStatsMonitor: { namespaces: ['ops'] } }))).toEqual([]);
    const { manifests } = build({ controlPlane: {}, metrics: { prometheus: { inCluster: { namespace: 'monitoring' } }, envoyStatsMonitor: {}, istiodMonitor: {} } });
    expect(manifests.filter((m) => ['PodMonitor', 'ServiceMonitor', 'Secret'].includes(m.kind)).map((m) => m.kind)).toEqual(['PodMonitor', 'ServiceMonitor']);
  });

  test('a revision: the Sail Istio is named after it, and gateway and workload namespaces select it', () => {
    // GIVEN
    const spec: MeshSpec = {
      controlPlane: { revision: 'canary' },
      ingressGateway: { injection: 'revision' as any },
      workloads: { namespaces: { shop: { services: { cart: { ports: [8080] } } } } },
    };
    // WHEN
    const { byChart } = build(spec);
    // THEN
    expect(findOne(byChart.istio, 'Istio').metadata.name).toBe('canary');
    expect(findOne(byChart.istio, 'Namespace', 'istio-ingress').metadata.labels).toEqual({ 'istio.io/rev': 'canary' });
    expect(findOne(byChart.istio, 'Deployment').spec.template.metadata.labels['istio.io/rev']).toBe('canary');
    expect(findOne(byChart.workloads, 'Namespace', 'shop').metadata.labels).toEqual({ 'istio.io/rev': 'canary' });
  });

  test('CNI on OpenShift runs in istio-cni (Sail\'s default) with Multus; directories can be overridden', () => {
    // WHEN
    const { byChart } = build({ controlPlane: { cni: { platform: 'openshift' as any, binDir: '/opt/custom/bin', excludeNamespaces: ['kube-system', 'batch'] } } });
    // THEN
    const cni = findOne(byChart.istio, 'IstioCNI');
    expect(cni.spec.namespace).toBe('istio-cni');
    expect(cni.spec.values.cni).toMatchObject({ provider: 'multus', chained: false, cniBinDir: '/opt/custom/bin', excludeNamespaces: ['kube-system', 'batch'] });
  });

  test('meshConfig and values in Istio\'s spelling reach the Sail Istio and the istioctl file unchanged', () => {
    // GIVEN
    const spec: MeshSpec = {
      controlPlane: {
        meshConfig: { accessLogFile: '/dev/stdout', meshMTLS: { minProtocolVersion: 'TLSV1_3' } },
        values: { pilot: { env: { PILOT_ENABLE_STATUS: 'true' } } },
        pilot: { resources: { requests: { cpu: '500m' } } },
        istioctlFile: true,
      },
      metrics: { prometheus: { inCluster: {} }, prometheusMerge: false },
    };
    // WHEN
    const { byChart, istioctl } = build(spec);
    // THEN
    const values = findOne(byChart.istio, 'Istio').spec.values;
    expect(values.meshConfig).toEqual({ accessLogFile: '/dev/stdout', meshMTLS: { minProtocolVersion: 'TLSV1_3' }, enablePrometheusMerge: false });
    expect(values.pilot).toMatchObject({ env: { PILOT_ENABLE_STATUS: 'true' }, resources: { requests: { cpu: '500m' } } });
    expect(findOne(istioctl, 'IstioOperator').spec.meshConfig.meshMTLS).toEqual({ minProtocolVersion: 'TLSV1_3' });
  });

  test('the istioctl path with an egress gateway; no istioctl file is refused for that path', () => {
    // GIVEN
    const spec: MeshSpec = { controlPlane: { installPath: 'istioctl' as any, egressGateway: { serviceType: 'ClusterIP' as any } } };
    // WHEN
    const { byChart, istioctl } = build(spec);
    // THEN
    expect(byChart.istio.map((m) => m.metadata?.name)).toEqual(['istio-system', 'istio-egress']);
    expect(findOne(istioctl, 'IstioOperator').spec.components.egressGateways).toEqual([
      { name: 'istio-egressgateway', namespace: 'istio-egress', enabled: true, label: { istio: 'egressgateway' }, k8s: { service: { type: 'ClusterIP' } } },
    ]);
    expect(problemsOf({ controlPlane: { installPath: 'istioctl' as any, istioctlFile: false } })).toEqual([
      { path: 'controlPlane.istioctlFile', message: expect.stringMatching(/^must not be false with installPath istioctl/) },
    ]);
  });

  test('calls: a namespace, one service of another namespace, a namespace outside the app; mTLS per namespace', () => {
    // GIVEN
    const spec: MeshSpec = {
      controlPlane: {},
      workloads: {
        externalNamespaces: ['payments'],
        rootServices: { 'otel-collector': { ports: [4317] } },
        namespaces: {
          shop: { services: { cart: { ports: [8080], calls: ['catalog/api', 'payments'] } }, calls: ['reviews'], mtls: { mode: 'PERMISSIVE' as any } },
          catalog: { services: { api: { ports: [8080] } } },
          reviews: {},
        },
      },
    };
    // WHEN
    const { mesh, byChart } = build(spec);
    // THEN
    const sidecar = byChart.workloads.find((m) => m.kind === 'Sidecar' && m.metadata?.namespace === 'shop') as any;
    expect(sidecar.spec.egress[0].hosts).toEqual(['./*', 'catalog/api.catalog.svc.cluster.local', 'istio-system/*', 'payments/*', 'reviews/*']);
    expect(findOne(byChart.workloads, 'PeerAuthentication').metadata).toMatchObject({ name: 'default', namespace: 'shop' });
    expect(mesh.externalNamespaces).toEqual(['payments']);
    expect(mesh.scoping?.rootServices.map((service) => service.name)).toEqual(['otel-collector']);
  });

  test('hand-written Sidecars for selected workloads, beside the derived one; a bad host names its key', () => {
    // GIVEN a namespace whose batch jobs may reach only the payments namespace
    const spec: MeshSpec = {
      workloads: {
        externalNamespaces: ['payments'],
        namespaces: { shop: { sidecars: { 'batch-jobs': { workloadSelector: { app: 'batch' }, egressHosts: ['./*', 'payments/*'] } } } },
      },
    };
    // WHEN
    const { byChart } = build(spec);
    // THEN
    const sidecars = byChart.workloads.filter((m) => m.kind === 'Sidecar' && m.metadata?.namespace === 'shop') as any[];
    expect(sidecars.map((m) => m.metadata.name).sort()).toEqual(['batch-jobs', 'default']);
    expect(sidecars.find((m) => m.metadata.name === 'batch-jobs').spec).toEqual({
      workloadSelector: { labels: { app: 'batch' } },
      egress: [{ hosts: ['./*', 'payments/*'] }],
    });
    expect(problemsOf({ workloads: { namespaces: { shop: { sidecars: { jobs: { workloadSelector: { app: 'batch' }, egressHosts: ['Bad_NS/*'] } } } } } }))
      .toEqual([{ path: 'workloads.namespaces.shop.sidecars.jobs.egressHosts[0]', message: expect.stringMatching(/Bad_NS\/\*/) }]);
  });

  test('a namespace named constructor, calling and called by name like any other', () => {
    // GIVEN a valid namespace name that is also a member of every JavaScript object
    const spec: MeshSpec = {
      workloads: {
        externalNamespaces: ['hasownproperty'],
        namespaces: {
          constructor: { services: { api: { ports: [8080], calls: ['hasownproperty'] } }, sidecars: { jobs: { workloadSelector: { app: 'jobs' }, egressHosts: ['./*'] } } },
          shop: { calls: ['constructor/api'] },
        },
      },
    };
    // WHEN
    const { mesh, byChart } = build(spec);
    // THEN
    expect(findOne(byChart.workloads, 'Namespace', 'constructor').metadata.labels).toEqual({ 'istio-injection': 'enabled' });
    const shopSidecar = byChart.workloads.find((m) => m.kind === 'Sidecar' && m.metadata?.namespace === 'shop') as any;
    expect(shopSidecar.spec.egress[0].hosts).toEqual(['./*', 'constructor/api.constructor.svc.cluster.local', 'istio-system/*']);
    expect(mesh.scoping?.namespace('constructor').externalNamespaces).toEqual(['hasownproperty']);
    expect(mesh.extraFiles['reports/scope-report.md']).toContain('constructor');
  });

  test('workload namespaces of Kubernetes itself or of istiod are refused at their key', () => {
    expect(problemsOf({ workloads: { namespaces: { 'kube-public': {} } } }))
      .toEqual([{ path: 'workloads.namespaces.kube-public', message: expect.stringMatching(/^namespace kube-public is reserved for Kubernetes' own components/) }]);
    expect(problemsOf({ controlPlane: { meshConfig: { rootNamespace: 'istio-config' } }, workloads: { namespaces: { 'istio-system': {} } } }))
      .toEqual([{ path: 'workloads.namespaces.istio-system', message: expect.stringMatching(/^namespace istio-system is the namespace of istiod/) }]);
  });

  test('a bare name that is both a service of the namespace and a namespace is refused as ambiguous', () => {
    const spec: MeshSpec = { workloads: { namespaces: { shop: { services: { cart: { ports: [80] } }, calls: ['cart'] }, cart: {} } } };
    expect(problemsOf(spec)).toEqual([{ path: 'workloads.namespaces.shop.calls[0]', message: expect.stringMatching(/'cart' is both a service of shop and a namespace: write 'shop\/cart' .* or 'cart\/\*'/) }]);
  });

  test('Kiali for the Kiali operator, anonymous and view-only; sync waves off', () => {
    // GIVEN
    const spec: MeshSpec = {
      controlPlane: {},
      metrics: { prometheus: { inCluster: {} } },
      kiali: { deployment: 'operator-cr' as any, authStrategy: 'anonymous' as any, viewOnlyMode: true, replicas: 2 },
      argoCdSyncWaves: false,
    };
    // WHEN
    const { manifests, byChart } = build(spec);
    // THEN
    expect(findOne(byChart.kiali, 'Kiali').spec).toMatchObject({ auth: { strategy: 'anonymous' }, deployment: { view_only_mode: true, replicas: 2 } });
    expect(manifests.filter((m) => (m.metadata as any)?.annotations?.[ARGOCD_SYNC_WAVE] !== undefined)).toEqual([]);
  });
});

describe('the README', () => {
  test('the mesh.yaml of the Configuration section builds into valid output', () => {
    // GIVEN the first yaml block of the section
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Configuration'));
    const example = /```yaml\n([\s\S]*?)```/.exec(section)![1];
    // WHEN
    const { mesh, byChart } = build(yaml.load(example) as MeshSpec);
    // THEN
    expect(mesh.externalNamespaces).toEqual(['grafana', 'monitoring', 'payments']);
    const sidecar = byChart.workloads.find((m) => m.kind === 'Sidecar' && m.metadata?.namespace === 'shop') as any;
    expect(sidecar.spec.egress[0].hosts).toEqual([
      './*', 'catalog/api.catalog.svc.cluster.local', 'istio-system/*', 'observability/jaeger-collector.observability.svc.cluster.local', 'payments/*',
    ]);
  });
});

describe('Sidecars and the extension providers of the mesh config', () => {
  const sidecarsOf = (manifests: readonly Manifest[]) => manifests.filter((m) => m.kind === 'Sidecar') as any[];

  test("the guide's mesh: every Sidecar imports the host of the tracing collector the Telemetry selects", () => {
    // WHEN
    const { byChart } = build(guideMesh());
    // THEN the host is the one of the Sail Istio's zipkin provider
    const [provider] = findOne(byChart.istio, 'Istio').spec.values.meshConfig.extensionProviders;
    expect(provider.zipkin.service).toBe('jaeger-collector.observability.svc.cluster.local');
    const sidecars = sidecarsOf(byChart.workloads);
    expect(sidecars.map((m) => `${m.metadata.namespace}/${m.metadata.name}`)).toEqual(['istio-system/default', 'istio-demo/default']);
    for (const sidecar of sidecars) {
      expect(sidecar.spec.egress[0].hosts).toContain(`observability/${provider.zipkin.service}`);
    }
  });

  test('an ext-authz provider the user adds in another namespace appears in every derived and hand-written Sidecar', () => {
    // GIVEN
    const spec: MeshSpec = {
      ...guideMesh(),
      controlPlane: {
        ...guideMesh().controlPlane,
        meshConfig: { extensionProviders: [{ name: 'ext-authz', envoyExtAuthzHttp: { service: 'ext-authz.authz.svc.cluster.local', port: 8000 } }] },
      },
      externalNamespaces: ['authz'],
      workloads: {
        namespaces: {
          ...guideMesh().workloads!.namespaces,
          shop: { sidecars: { 'batch-jobs': { workloadSelector: { app: 'batch' }, egressHosts: ['./*'] } } },
        },
      },
    };
    // WHEN
    const { byChart } = build(spec);
    // THEN
    const sidecars = sidecarsOf(byChart.workloads);
    expect(sidecars.map((m) => `${m.metadata.namespace}/${m.metadata.name}`)).toEqual(['istio-system/default', 'istio-demo/default', 'shop/default', 'shop/batch-jobs']);
    for (const sidecar of sidecars) {
      expect(sidecar.spec.egress[0].hosts).toEqual(expect.arrayContaining([
        'authz/ext-authz.authz.svc.cluster.local', 'observability/jaeger-collector.observability.svc.cluster.local',
      ]));
    }
  });

  test('workloads.meshDefaultSidecar false: no Sidecar in the root namespace, and no warning about it', () => {
    // GIVEN
    const spec: MeshSpec = { ...guideMesh(), workloads: { ...guideMesh().workloads, meshDefaultSidecar: false } };
    // WHEN
    const { mesh, byChart } = build(spec);
    // THEN
    expect(sidecarsOf(byChart.workloads).map((m) => `${m.metadata.namespace}/${m.metadata.name}`)).toEqual(['istio-demo/default']);
    expect(mesh.warnings.filter((warning) => /Sidecar/.test(warning))).toEqual([]);
  });

  test('workloads.meshDefaultSidecar on (the default, or true): the root Sidecar and a warning naming the key', () => {
    for (const meshDefaultSidecar of [undefined, true]) {
      // GIVEN
      const spec: MeshSpec = { ...guideMesh(), workloads: { ...guideMesh().workloads, meshDefaultSidecar } };
      // WHEN
      const { mesh, byChart } = build(spec);
      // THEN
      expect(sidecarsOf(byChart.workloads).map((m) => m.metadata.namespace)).toContain('istio-system');
      expect(mesh.warnings).toContainEqual(expect.stringMatching(/^the mesh-wide default Sidecar istio-system\/default applies to every injected namespace .* set workloads\.meshDefaultSidecar: false/));
    }
  });
});

describe("istiod's namespace has one place: controlPlane.namespace", () => {
  test.each([
    ['sail', '1.30.3'],
    ['istioctl', '1.30.3'],
    ['in-cluster-operator', '1.23.6'],
  ])('installPath %s: everything that refers to istiod follows istio-control', (installPath, version) => {
    // GIVEN the guide's mesh with istiod in istio-control
    const spec = guideMesh() as any;
    spec.controlPlane = { ...spec.controlPlane, namespace: 'istio-control', installPath, version, kubernetesVersion: undefined };
    // WHEN
    const { manifests, istioctl } = buildValidated(spec);
    // THEN the install resource names it twice, as the Sail CRD rule and the charts want
    const install = [...manifests, ...istioctl].find((m) => m.kind === 'Istio' || m.kind === 'IstioOperator') as any;
    expect(install.spec.namespace).toBe('istio-control');
    expect(install.spec.values.global.istioNamespace).toBe('istio-control');
    // AND the scrape configs, monitors, Kiali, the gateway and the Sidecars point there
    expect(findOne(manifests, 'ServiceMonitor').spec.namespaceSelector).toEqual({ matchNames: ['istio-control'] });
    // (Kiali runs beside istiod and takes its own namespace for Istio's)
    expect(findOne(manifests, 'Deployment', 'kiali').metadata.namespace).toBe('istio-control');
    const sidecarHosts = manifests.filter((m) => m.kind === 'Sidecar').flatMap((m: any) => m.spec.egress.flatMap((egress: any) => egress.hosts));
    expect(sidecarHosts).toContain('istio-control/*');
    // AND nothing is left pointing at the default namespace
    expect(JSON.stringify([...manifests, ...istioctl])).not.toContain('istio-system');
  });
});

describe('Kiali and the Grafana of dashboards (mesh.yaml)', () => {
  const withGrafana = (grafana: object, kiali: object = {}): MeshSpec => ({ ...guideMesh(), dashboards: { grafana: grafana as any }, kiali });

  test('without externalUrl and apiCredentials: each missing key named where mesh.yaml sets it, with the ways out', () => {
    expect(problemsOf(withGrafana({ existing: { namespace: 'grafana' } }))).toEqual([
      { path: 'dashboards.grafana.existing.externalUrl', message: expect.stringMatching(/^is needed by Kiali, .*'grafana URL is not set'.* or kiali\.grafanaLinks: false$/) },
      { path: 'dashboards.grafana.existing.apiCredentials', message: expect.stringMatching(/^is needed by Kiali, .*bearerToken: \{ secretName: .*anonymous: \{\} for a Grafana open to anonymous viewers, or kiali\.grafanaLinks: false$/) },
    ]);
    expect(problemsOf(withGrafana({ instance: { externalUrl: 'https://grafana.example.com' } }))).toEqual([
      { path: 'dashboards.grafana.instance.apiCredentials', message: expect.not.stringContaining('anonymous: {}') },
    ]);
    expect(problemsOf(withGrafana({ instance: { externalUrl: 'https://grafana.example.com', apiCredentials: { anonymous: {} } } }))).toEqual([
      { path: 'dashboards.grafana.instance.apiCredentials', message: expect.stringMatching(/^must not be anonymous: .*\(bearerToken or basicAuth\)$/) },
    ]);
    expect(problemsOf(withGrafana({ existing: { externalUrl: 'https://grafana.example.com', apiCredentials: { bearerToken: { secretName: 'Bad_Name' } } } })))
      .toEqual([{ path: 'dashboards.grafana.existing.apiCredentials.bearerToken.secretName', message: expect.stringContaining("'Bad_Name'") }]);
  });

  test('a rendered Grafana with basic auth: Kiali gets its external_url and the Secret references', () => {
    const { byChart } = build(withGrafana({
      instance: { externalUrl: 'https://grafana.example.com', apiCredentials: { basicAuth: { secretName: 'grafana-viewer' } } },
    }));
    const config = yaml.load(findOne(byChart.kiali, 'ConfigMap').data['config.yaml']) as any;
    expect(config.external_services.grafana).toEqual({
      enabled: true, internal_url: 'http://grafana-service.grafana:3000', external_url: 'https://grafana.example.com',
      auth: { type: 'basic', username: 'secret:grafana-viewer:username', password: 'secret:grafana-viewer:password' },
    });
  });

  test('kiali.grafanaLinks: false keeps the dashboards and turns Kiali\'s Grafana integration off', () => {
    const { byChart } = build(withGrafana({ existing: { namespace: 'grafana' } }, { grafanaLinks: false }));
    const config = yaml.load(findOne(byChart.kiali, 'ConfigMap').data['config.yaml']) as any;
    expect(config.external_services.grafana).toEqual({ enabled: false });
    expect(byChart.dashboards.map((m) => m.kind)).toContain('GrafanaDatasource');
  });
});

describe('controlPlane.kubernetesVersion reaches the output checks', () => {
  test("the guide's cluster (1.33) is the version core objects are checked against", () => {
    expect(buildValidated(guideMesh()).mesh.validation.kubernetesVersion).toBe('1.33');
  });
});
