import { Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import {
  ExistingGrafana, ExternalEndpoint, GrafanaCredentials, GrafanaInstance, ITracingBackend, JaegerV2, Kiali, MeshWarningCode, MeshWarnings, KialiAuthStrategy, KialiDeployment, Scheme, ServiceEndpoint, TracingProvider,
} from '../../lib';
import { findOne, fragmentChart, synthValid } from '../helpers/manifests';
import { backends } from './fixtures';

function kialiConfig(manifests: any[]): any {
  return yaml.load(findOne(manifests, 'ConfigMap', 'kiali').data['config.yaml']);
}

function kialiContainer(manifests: any[]): any {
  return findOne(manifests, 'Deployment', 'kiali').spec.template.spec.containers[0];
}

const MUTATING_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection', '*'];
/** `create` on these persists nothing: a port-forward stream and a token review request. */
const NON_PERSISTED_CREATES = ['pods/portforward', 'tokenreviews'];

describe('Kiali addon', () => {
  test('config.yaml takes every URL from the backends passed in', () => {
    // GIVEN
    const chart = fragmentChart();
    const { prometheus, grafana, jaeger } = backends();
    // WHEN
    new Kiali(chart, 'kiali', { prometheus, grafana, tracing: jaeger });
    // THEN
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    const config = kialiConfig(manifests);
    expect(config.external_services.prometheus.url).toBe(prometheus.queryEndpoint.url());
    expect(config.external_services.grafana).toEqual({
      enabled: true,
      internal_url: grafana.internalEndpoint.url(),
      external_url: grafana.externalUrl,
      auth: { type: 'bearer', token: 'secret:kiali-grafana:token' },
    });
    // Jaeger offers gRPC: Kiali dials the gRPC query port, over plain HTTP/2.
    expect(config.external_services.tracing).toEqual({
      enabled: true,
      provider: 'jaeger',
      use_grpc: true,
      internal_url: `http://${jaeger.grpcQueryEndpoint!.address}`,
      external_url: jaeger.externalUrl,
    });
    expect(config.external_services.tracing.internal_url).toBe('http://jaeger-query.observability:16685');
    // Deprecated and ignored since Kiali 2.11: not emitted.
    expect(config.istio_namespace).toBeUndefined();
    expect(config.external_services.istio).toBeUndefined();
  });

  test('secure by default: token login, signing key from a Secret, hardened pod', () => {
    // GIVEN
    const chart = fragmentChart();
    // WHEN
    new Kiali(chart, 'kiali', { prometheus: backends().prometheus });
    // THEN
    const manifests = synthValid(chart);
    expect(kialiConfig(manifests).auth.strategy).toBe('token');
    const deployment = findOne(manifests, 'Deployment', 'kiali');
    const pod = deployment.spec.template.spec;
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } });
    const container = kialiContainer(manifests);
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.resources).toEqual({ requests: { cpu: '10m', memory: '64Mi' }, limits: { cpu: '1000m', memory: '1024Mi' } });
    expect(container.image).toBe(Kiali.DEFAULT_IMAGE);
    const signingKey = pod.volumes.find((v: any) => v.name === 'login-token-signing-key');
    expect(signingKey.secret).toEqual({ secretName: 'kiali-signing-key', items: [{ key: 'key', path: 'value.txt' }] });
    // The Kiali operator's reference form: the same Secret serves the addon and the operator.
    expect(kialiConfig(manifests).login_token).toEqual({ signing_key: 'secret:kiali-signing-key:key' });
    expect(container.volumeMounts).toContainEqual({ name: 'login-token-signing-key', mountPath: '/kiali-override-secrets/login-token-signing-key', readOnly: true });
    expect(container.volumeMounts.every((m: any) => m.readOnly === true)).toBe(true);
  });

  test('users who log in leave Kiali\'s service account read-only', () => {
    // GIVEN
    const chart = fragmentChart();
    // WHEN
    new Kiali(chart, 'kiali', { prometheus: backends().prometheus });
    // THEN
    const manifests = synthValid(chart);
    const role = findOne(manifests, 'ClusterRole');
    expect(role.metadata.name).toBe('kiali-viewer');
    for (const rule of role.rules) {
      const mutating = rule.verbs.filter((verb: string) => MUTATING_VERBS.includes(verb));
      if (mutating.length > 0) {
        expect(mutating).toEqual(['create']);
        expect(rule.resources.every((resource: string) => NON_PERSISTED_CREATES.includes(resource))).toBe(true);
      }
    }
    const binding = findOne(manifests, 'ClusterRoleBinding');
    expect(binding.roleRef.name).toBe('kiali-viewer');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'kiali', namespace: 'istio-system' }]);
  });

  test('view-only anonymous Kiali gets the viewer rules and view_only_mode', () => {
    // GIVEN
    const chart = fragmentChart();
    // WHEN
    new Kiali(chart, 'kiali', { prometheus: backends().prometheus, authStrategy: KialiAuthStrategy.ANONYMOUS, viewOnlyMode: true });
    // THEN
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    expect(kialiConfig(manifests).deployment.view_only_mode).toBe(true);
    const role = findOne(manifests, 'ClusterRole');
    expect(role.metadata.name).toBe('kiali-viewer');
    const verbs = new Set(role.rules.flatMap((rule: any) => rule.verbs));
    for (const verb of ['update', 'patch', 'delete']) {
      expect(verbs.has(verb)).toBe(false);
    }
    // Anonymous Kiali has no sessions to encrypt: no signing key Secret needed.
    expect(findOne(manifests, 'Deployment').spec.template.spec.volumes.map((v: any) => v.name)).not.toContain('login-token-signing-key');
  });

  test('anonymous Kiali that may change the mesh gets the writer rules', () => {
    // GIVEN
    const chart = fragmentChart();
    // WHEN
    new Kiali(chart, 'kiali', { prometheus: backends().prometheus, authStrategy: KialiAuthStrategy.ANONYMOUS });
    // THEN
    const manifests = synthValid(chart);
    expect(kialiConfig(manifests).auth.strategy).toBe('anonymous');
    const role = findOne(manifests, 'ClusterRole');
    expect(role.metadata.name).toBe('kiali');
    const istioRule = role.rules.find((rule: any) => rule.apiGroups.includes('networking.istio.io'));
    expect(istioRule.verbs).toEqual(['get', 'list', 'watch', 'create', 'delete', 'patch']);
    expect(findOne(manifests, 'ClusterRoleBinding').roleRef.name).toBe('kiali');
  });

  test('runs in the Istio namespace taken from a control plane-like object, endpoint follows', () => {
    // GIVEN
    const chart = fragmentChart();
    const controlPlane = { namespace: 'istio-prod' };
    // WHEN
    const kiali = new Kiali(chart, 'kiali', { prometheus: backends().prometheus, istioNamespace: controlPlane, replicas: 2, labels: { team: 'platform' } });
    // THEN
    const manifests = synthValid(chart);
    expect(kiali.namespace).toBe('istio-prod');
    expect(kiali.endpoint.url(kiali.webRoot)).toBe('http://kiali.istio-prod:20001/kiali');
    expect(kiali.metricsEndpoint.address).toBe('kiali.istio-prod:9090');
    const service = findOne(manifests, 'Service', 'kiali');
    expect(service.metadata.namespace).toBe('istio-prod');
    expect(service.spec.ports.map((p: any) => [p.name, p.port])).toEqual([['http', 20001], ['http-metrics', 9090]]);
    const deployment = findOne(manifests, 'Deployment', 'kiali');
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.metadata.labels.team).toBe('platform');
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(kialiConfig(manifests).deployment.namespace).toBe('istio-prod');
  });

  test('without Grafana or tracing both integrations are switched off', () => {
    // GIVEN
    const chart = fragmentChart();
    // WHEN
    new Kiali(chart, 'kiali', { prometheus: backends().prometheus });
    // THEN
    const config = kialiConfig(synthValid(chart));
    // Kiali's own default enables Grafana at http://grafana.istio-system:3000.
    expect(config.external_services.grafana).toEqual({ enabled: false });
    expect(config.external_services.tracing).toEqual({ enabled: false });
  });

  test('a real Jaeger v2 construct is queried on its gRPC query port', () => {
    // GIVEN
    const chart = fragmentChart();
    const jaeger = new JaegerV2(chart, 'jaeger', { namespace: 'observability' });
    // WHEN
    new Kiali(chart, 'kiali', { prometheus: backends().prometheus, tracing: jaeger });
    // THEN
    const tracing = kialiConfig(synthValid(chart)).external_services.tracing;
    expect(tracing.internal_url).toBe(`http://${jaeger.grpcQueryEndpoint.address}`);
    expect(tracing.use_grpc).toBe(true);
  });

  test('a backend without gRPC is queried over HTTP under its base path', () => {
    // GIVEN
    const chart = fragmentChart();
    const tracing: ITracingBackend = { ...backends().jaeger, grpcQueryEndpoint: undefined, externalUrl: undefined };
    // WHEN
    new Kiali(chart, 'kiali', { prometheus: backends().prometheus, tracing, tracingExternalUrl: 'https://tracing.example.com/jaeger?x=1' });
    // THEN
    const config = kialiConfig(synthValid(chart));
    expect(config.external_services.tracing).toEqual({
      enabled: true,
      provider: 'jaeger',
      use_grpc: false,
      internal_url: tracing.queryEndpoint.url('/jaeger'),
      external_url: 'https://tracing.example.com/jaeger?x=1',
    });
  });

  test('Tempo searches over gRPC on grpc_port of its query host', () => {
    // GIVEN
    const chart = fragmentChart();
    const tempo: ITracingBackend = {
      provider: TracingProvider.TEMPO,
      zipkinEndpoint: new ServiceEndpoint({ serviceName: 'tempo', namespace: 'tracing', port: 9411 }),
      queryEndpoint: new ServiceEndpoint({ serviceName: 'tempo', namespace: 'tracing', port: 3200 }),
      queryBasePath: '',
      grpcQueryEndpoint: new ServiceEndpoint({ serviceName: 'tempo', namespace: 'tracing', port: 9095, scheme: Scheme.GRPC }),
    };
    // WHEN
    new Kiali(chart, 'kiali', { prometheus: backends().prometheus, tracing: tempo });
    // THEN
    expect(kialiConfig(synthValid(chart)).external_services.tracing).toEqual({
      enabled: true, provider: 'tempo', use_grpc: true, grpc_port: 9095, internal_url: 'http://tempo.tracing:3200',
    });
  });

  test('external backends given by URL keep their scheme', () => {
    // GIVEN
    const chart = fragmentChart();
    const prometheus = { queryEndpoint: ExternalEndpoint.fromUrl('prometheus', 'https://prom.example.com/prometheus') };
    // WHEN
    new Kiali(chart, 'kiali', { prometheus });
    // THEN
    expect(kialiConfig(synthValid(chart)).external_services.prometheus.url).toBe('https://prom.example.com:443/prometheus');
  });

  test('OpenID login mounts the optional client secret', () => {
    // GIVEN
    const chart = fragmentChart();
    // WHEN
    new Kiali(chart, 'kiali', {
      prometheus: backends().prometheus,
      authStrategy: KialiAuthStrategy.OPENID,
      openId: { issuerUrl: 'https://login.example.com/realms/mesh', clientId: 'kiali' },
    });
    // THEN
    const manifests = synthValid(chart);
    expect(kialiConfig(manifests).auth).toEqual({ strategy: 'openid', openid: { issuer_uri: 'https://login.example.com/realms/mesh', client_id: 'kiali' } });
    const volumes = findOne(manifests, 'Deployment').spec.template.spec.volumes;
    expect(volumes).toContainEqual({ name: 'kiali-secret', secret: { secretName: 'kiali', optional: true } });
  });

  test('same input, byte-identical output', () => {
    const render = () => {
      const chart = fragmentChart();
      const { prometheus, grafana, jaeger } = backends();
      new Kiali(chart, 'kiali', { prometheus, grafana, tracing: jaeger });
      return JSON.stringify(Testing.synth(chart));
    };
    expect(render()).toBe(render());
  });
});

describe('Kiali operator CR', () => {
  test('carries the same configuration as the addon', () => {
    // GIVEN
    const addonChart = fragmentChart();
    const crChart = fragmentChart();
    const { prometheus, grafana, jaeger } = backends();
    new Kiali(addonChart, 'kiali', { prometheus, grafana, tracing: jaeger, viewOnlyMode: true });
    // WHEN
    const kiali = new Kiali(crChart, 'kiali', { prometheus, grafana, tracing: jaeger, viewOnlyMode: true, deployment: KialiDeployment.OPERATOR_CR });
    // THEN
    const manifests = synthValid(crChart);
    expect(manifests).toMatchSnapshot();
    expect(manifests.map((m) => m.kind)).toEqual(['Kiali']);
    const cr = findOne(manifests, 'Kiali', 'kiali');
    expect(cr.apiVersion).toBe('kiali.io/v1alpha1');
    expect(cr.metadata.namespace).toBe('istio-system');
    const config = kialiConfig(synthValid(addonChart));
    expect(cr.spec.external_services).toEqual(config.external_services);
    expect(cr.spec.auth).toEqual(config.auth);
    expect(cr.spec.server).toEqual(config.server);
    expect(cr.spec.deployment).toEqual({
      ...config.deployment,
      replicas: 1,
      resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { cpu: '1000m', memory: '1024Mi' } },
      pod_labels: { 'sidecar.istio.io/inject': 'false' },
    });
    expect(kiali.endpoint.address).toBe('kiali.istio-system:20001');
  });

  test('a custom image is split into image_name and image_version', () => {
    // GIVEN
    const chart = fragmentChart();
    // WHEN
    new Kiali(chart, 'kiali', { prometheus: backends().prometheus, deployment: KialiDeployment.OPERATOR_CR, image: 'registry.example.com/kiali/kiali:v2.29.0' });
    // THEN
    const cr = findOne(synthValid(chart), 'Kiali');
    expect(cr.spec.deployment.image_name).toBe('registry.example.com/kiali/kiali');
    expect(cr.spec.deployment.image_version).toBe('v2.29.0');
  });

  test('OpenShift login is available through the operator', () => {
    const chart = fragmentChart();
    new Kiali(chart, 'kiali', { prometheus: backends().prometheus, deployment: KialiDeployment.OPERATOR_CR, authStrategy: KialiAuthStrategy.OPENSHIFT });
    expect(findOne(synthValid(chart), 'Kiali').spec.auth.strategy).toBe('openshift');
  });
});

describe('Kiali input errors', () => {
  const prometheus = backends().prometheus;

  test.each([
    ['grafanaExternalUrl', { grafana: backends().grafana, grafanaExternalUrl: 'grafana.example.com' }, /grafanaExternalUrl must be an absolute URL with a scheme.*'grafana\.example\.com'/],
    ['grafana.externalUrl', { grafana: { ...backends().grafana, externalUrl: 'grafana.example.com' } }, /grafana\.externalUrl must be an absolute URL/],
    ['tracingExternalUrl', { tracing: backends().jaeger, tracingExternalUrl: 'tracing.example.com/jaeger' }, /tracingExternalUrl must be an absolute URL/],
    ['tracing.externalUrl', { tracing: { ...backends().jaeger, externalUrl: 'tracing.example.com' } }, /tracing\.externalUrl must be an absolute URL/],
    ['openId.issuerUrl', { authStrategy: KialiAuthStrategy.OPENID, openId: { issuerUrl: 'login.example.com', clientId: 'kiali' } }, /openId\.issuerUrl must be an absolute URL/],
  ])('a URL without a scheme in %s', (_field, props, message) => {
    expect(() => new Kiali(fragmentChart(), 'kiali', { prometheus, ...props })).toThrow(message);
  });

  test('a bad namespace', () => {
    expect(() => new Kiali(fragmentChart(), 'kiali', { prometheus, namespace: 'Istio_System' })).toThrow(/namespace must be a DNS-1123 label.*'Istio_System'/);
    expect(() => new Kiali(fragmentChart(), 'kiali', { prometheus, istioNamespace: { namespace: 'bad.ns' } })).toThrow(/istioNamespace must be a DNS-1123 label.*'bad\.ns'/);
  });

  test.each([0, -1, 1.5])('bad replicas %p', (replicas) => {
    expect(() => new Kiali(fragmentChart(), 'kiali', { prometheus, replicas })).toThrow(new RegExp(`replicas must be a whole number of at least 1, got ${replicas}`));
  });

  test('bad resources', () => {
    expect(() => new Kiali(fragmentChart(), 'kiali', { prometheus, resources: { memoryLimitMebibytes: 32 } })).toThrow(/memoryLimitMebibytes \(32\) must not be below resources\.memoryRequestMebibytes \(64\)/);
    expect(() => new Kiali(fragmentChart(), 'kiali', { prometheus, resources: { cpuRequestMillicores: 0 } })).toThrow(/cpuRequestMillicores must be a whole number of at least 1, got 0/);
  });

  test('a bad web root', () => {
    expect(() => new Kiali(fragmentChart(), 'kiali', { prometheus, webRoot: 'kiali/' })).toThrow(/webRoot must start with '\/'.*'kiali\/'/);
  });

  test('auth options that do not fit the rendering', () => {
    expect(() => new Kiali(fragmentChart(), 'kiali', { prometheus, authStrategy: KialiAuthStrategy.OPENSHIFT })).toThrow(/OPENSHIFT needs the OAuthClient.*OPERATOR_CR/);
    expect(() => new Kiali(fragmentChart(), 'kiali', { prometheus, authStrategy: KialiAuthStrategy.OPENID })).toThrow(/OPENID needs openId/);
    expect(() => new Kiali(fragmentChart(), 'kiali', { prometheus, openId: { issuerUrl: 'https://login.example.com', clientId: 'kiali' } })).toThrow(/openId applies to authStrategy OPENID only, got authStrategy TOKEN/);
    expect(() => new Kiali(fragmentChart(), 'kiali', { prometheus, deployment: KialiDeployment.OPERATOR_CR, signingKeySecretName: 'mine' })).toThrow(/signingKeySecretName applies to KialiDeployment\.ADDON only/);
    expect(() => new Kiali(fragmentChart(), 'kiali', { prometheus, deployment: KialiDeployment.OPERATOR_CR, image: 'quay.io/kiali/kiali' })).toThrow(/'<repository>:<tag>'.*'quay\.io\/kiali\/kiali'/);
  });

  test('external URL props without their backend', () => {
    expect(() => new Kiali(fragmentChart(), 'kiali', { prometheus, grafanaExternalUrl: 'https://grafana.example.com' })).toThrow(/grafanaExternalUrl needs grafana/);
  });
});

describe('Kiali and Grafana', () => {
  const grafanaOf = (props: { externalUrl?: string; apiCredentials?: GrafanaCredentials }) => ExistingGrafana.inCluster({ namespace: 'grafana', ...props });

  test('basic auth: external_url and both credentials as Secret references, each key mounted where Kiali reads it', () => {
    // GIVEN
    const chart = fragmentChart();
    const grafana = grafanaOf({ externalUrl: 'https://grafana.example.com/?orgId=1', apiCredentials: GrafanaCredentials.basicAuth({ secretName: 'grafana-viewer', usernameKey: 'user' }) });
    // WHEN
    new Kiali(chart, 'kiali', { prometheus: backends().prometheus, grafana });
    // THEN
    const manifests = synthValid(chart);
    expect(kialiConfig(manifests).external_services.grafana).toEqual({
      enabled: true,
      internal_url: 'http://grafana-service.grafana:3000',
      external_url: 'https://grafana.example.com/?orgId=1',
      auth: { type: 'basic', username: 'secret:grafana-viewer:user', password: 'secret:grafana-viewer:password' },
    });
    // Kiali reads /kiali-override-secrets/grafana-<field>/value.txt (config.go), where the operator
    // mounts the one key of a `secret:<name>:<key>` value.
    const pod = findOne(manifests, 'Deployment', 'kiali').spec.template.spec;
    expect(pod.volumes).toEqual(expect.arrayContaining([
      { name: 'grafana-username', secret: { secretName: 'grafana-viewer', items: [{ key: 'user', path: 'value.txt' }] } },
      { name: 'grafana-password', secret: { secretName: 'grafana-viewer', items: [{ key: 'password', path: 'value.txt' }] } },
    ]));
    expect(kialiContainer(manifests).volumeMounts).toEqual(expect.arrayContaining([
      { name: 'grafana-username', mountPath: '/kiali-override-secrets/grafana-username', readOnly: true },
      { name: 'grafana-password', mountPath: '/kiali-override-secrets/grafana-password', readOnly: true },
    ]));
    expect(MeshWarnings.of(chart).all.find((w) => w.code === MeshWarningCode.KIALI_GRAFANA_CREDENTIALS)?.message)
      .toMatch(/^Kiali istio-system\/kiali does not start until Secret istio-system\/grafana-viewer exists with keys 'user', 'password'/);
  });

  test('the Kiali CR carries the same references, which the operator mounts', () => {
    const chart = fragmentChart();
    const grafana = grafanaOf({ externalUrl: 'https://grafana.example.com', apiCredentials: GrafanaCredentials.bearerToken({ secretName: 'kiali-grafana', key: 'sa-token' }) });
    new Kiali(chart, 'kiali', { prometheus: backends().prometheus, grafana, deployment: KialiDeployment.OPERATOR_CR });
    const cr = findOne(synthValid(chart), 'Kiali', 'kiali');
    expect(cr.spec.external_services.grafana.auth).toEqual({ type: 'bearer', token: 'secret:kiali-grafana:sa-token' });
  });

  test('an anonymous Grafana: auth type none, nothing mounted, no Secret to wait for; the Kiali side overrides the backend', () => {
    // GIVEN a Grafana without known credentials, and Kiali told it is open to anonymous viewers
    const chart = fragmentChart();
    const grafana = grafanaOf({});
    // WHEN
    new Kiali(chart, 'kiali', {
      prometheus: backends().prometheus, grafana, grafanaExternalUrl: 'https://dashboards.example.com', grafanaCredentials: GrafanaCredentials.anonymous(),
    });
    // THEN
    const manifests = synthValid(chart);
    expect(kialiConfig(manifests).external_services.grafana).toEqual({
      enabled: true, internal_url: 'http://grafana-service.grafana:3000', external_url: 'https://dashboards.example.com', auth: { type: 'none' },
    });
    expect(findOne(manifests, 'Deployment').spec.template.spec.volumes.map((v: any) => v.name)).not.toContain('grafana-token');
    expect(MeshWarnings.of(chart).all.map((w) => w.code)).not.toContain(MeshWarningCode.KIALI_GRAFANA_CREDENTIALS);
  });

  test('refused: Grafana without the URL users open, or without API credentials', () => {
    const { prometheus } = backends();
    const credentials = GrafanaCredentials.bearerToken({ secretName: 'kiali-grafana' });
    expect(() => new Kiali(fragmentChart(), 'kiali', { prometheus, grafana: grafanaOf({ apiCredentials: credentials }) }))
      .toThrow(/grafana needs externalUrl.*'grafana URL is not set'.*got only the in-cluster http:\/\/grafana-service\.grafana:3000/);
    expect(() => new Kiali(fragmentChart(), 'kiali', { prometheus, grafana: grafanaOf({ externalUrl: 'https://grafana.example.com' }) }))
      .toThrow(/grafana needs apiCredentials: .*GrafanaCredentials\.bearerToken/);
    expect(() => new Kiali(fragmentChart(), 'kiali', { prometheus, grafanaCredentials: credentials })).toThrow(/grafanaCredentials needs grafana/);
  });

  test('refused: an anonymous reader of the rendered Grafana, whose anonymous access is off; bad Secret references', () => {
    expect(() => new GrafanaInstance(fragmentChart(), 'grafana', { apiCredentials: GrafanaCredentials.anonymous() })).toThrow(/apiCredentials must not be anonymous/);
    expect(() => GrafanaCredentials.bearerToken({ secretName: 'Kiali_Grafana' })).toThrow(/secretName must be a Kubernetes object name.*'Kiali_Grafana'/);
    expect(() => GrafanaCredentials.bearerToken({ secretName: 'kiali-grafana', key: 'a:b' })).toThrow(/key must be a Secret key.*'a:b'/);
    expect(() => GrafanaCredentials.basicAuth({ secretName: 'g', usernameKey: 'x', passwordKey: 'x' })).toThrow(/usernameKey and passwordKey must be different/);
  });

  test('the rendered Grafana hands out what Kiali needs', () => {
    const chart = fragmentChart();
    const grafana = new GrafanaInstance(chart, 'grafana', { externalUrl: 'https://grafana.example.com', apiCredentials: GrafanaCredentials.bearerToken({ secretName: 'kiali-grafana' }) });
    new Kiali(chart, 'kiali', { prometheus: backends().prometheus, grafana });
    expect(kialiConfig(synthValid(chart)).external_services.grafana).toMatchObject({ external_url: 'https://grafana.example.com', auth: { type: 'bearer', token: 'secret:kiali-grafana:token' } });
  });
});
