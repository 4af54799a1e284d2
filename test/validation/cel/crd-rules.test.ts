import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { CrdSchemaValidator, validateManifests } from '../../../lib';
import { CompiledValidatorCache } from '../../../lib/validation/compiled-validator-cache';
import { widgetCrd } from '../../helpers/crds';

// No cache: every verdict here comes from evaluating the rule, not from an earlier run.
const validator = new CrdSchemaValidator(undefined, new CompiledValidatorCache(undefined));

/** A namespaced object in `shop`; `namespace: null` for a cluster-scoped one. */
function object(apiVersion: string, kind: string, spec: Record<string, unknown>, name = 'example', namespace: string | null = 'shop') {
  return { apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) }, spec };
}

interface RuleCase {
  /** CRD group and rule. */
  readonly name: string;
  /** An object that breaks exactly the rule. */
  readonly invalid: ReturnType<typeof object>;
  /** The same object, fixed. */
  readonly valid: ReturnType<typeof object>;
  readonly path: string;
  readonly message: string;
}

const INSTANCE_SELECTOR = { matchLabels: { dashboards: 'grafana' } };

const CASES: RuleCase[] = [
  {
    name: 'Istio networking: ServiceEntry port numbers are unique (rule on a list)',
    invalid: object('networking.istio.io/v1', 'ServiceEntry', { hosts: ['api.example.com'], ports: [{ number: 443, name: 'https' }, { number: 443, name: 'tls' }] }),
    valid: object('networking.istio.io/v1', 'ServiceEntry', { hosts: ['api.example.com'], ports: [{ number: 443, name: 'https' }, { number: 8443, name: 'tls' }] }),
    path: 'spec.ports',
    message: 'port number cannot be duplicated',
  },
  {
    name: 'Istio networking: DestinationRule durations are Go durations of at least 1ms',
    invalid: object('networking.istio.io/v1', 'DestinationRule', { host: 'cart', trafficPolicy: { connectionPool: { tcp: { connectTimeout: '500us' } } } }),
    valid: object('networking.istio.io/v1', 'DestinationRule', { host: 'cart', trafficPolicy: { connectionPool: { tcp: { connectTimeout: '1.5s' } } } }),
    path: 'spec.trafficPolicy.connectionPool.tcp.connectTimeout',
    message: 'must be a valid duration greater than 1ms',
  },
  {
    name: 'Istio networking: Sidecar selector values hold no wildcard (rule on map values)',
    invalid: object('networking.istio.io/v1', 'Sidecar', { workloadSelector: { labels: { app: 'cart-*' } } }),
    valid: object('networking.istio.io/v1', 'Sidecar', { workloadSelector: { labels: { app: 'cart' } } }),
    path: 'spec.workloadSelector.labels.app',
    message: 'wildcard is not supported in selector',
  },
  {
    name: 'Istio networking: Gateway TLS takes credentialName or credentialNames (rule on array items)',
    invalid: object('networking.istio.io/v1', 'Gateway', { servers: [{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['*'], tls: { mode: 'SIMPLE', credentialName: 'a', credentialNames: ['b'] } }] }),
    valid: object('networking.istio.io/v1', 'Gateway', { servers: [{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['*'], tls: { mode: 'SIMPLE', credentialName: 'a' } }] }),
    path: 'spec.servers[0].tls',
    message: 'only one of credentialName or credentialNames can be set',
  },
  {
    name: 'Istio security: PeerAuthentication port-level mTLS needs a selector',
    invalid: object('security.istio.io/v1', 'PeerAuthentication', { portLevelMtls: { 8080: { mode: 'PERMISSIVE' } } }),
    valid: object('security.istio.io/v1', 'PeerAuthentication', { selector: { matchLabels: { app: 'cart' } }, portLevelMtls: { 8080: { mode: 'PERMISSIVE' } } }),
    path: 'spec',
    message: 'portLevelMtls requires selector',
  },
  {
    name: 'Istio security: PeerAuthentication port keys are ports (int(string) on map keys)',
    invalid: object('security.istio.io/v1', 'PeerAuthentication', { selector: { matchLabels: { app: 'cart' } }, portLevelMtls: { 70000: { mode: 'PERMISSIVE' } } }),
    valid: object('security.istio.io/v1', 'PeerAuthentication', { selector: { matchLabels: { app: 'cart' } }, portLevelMtls: { 7000: { mode: 'PERMISSIVE' } } }),
    path: 'spec.portLevelMtls',
    message: 'port must be between 1-65535',
  },
  {
    name: 'Istio security: AuthorizationPolicy sources do not mix serviceAccounts and namespaces',
    invalid: object('security.istio.io/v1', 'AuthorizationPolicy', { rules: [{ from: [{ source: { serviceAccounts: ['shop/cart'], namespaces: ['shop'] } }] }] }),
    valid: object('security.istio.io/v1', 'AuthorizationPolicy', { rules: [{ from: [{ source: { serviceAccounts: ['shop/cart'] } }] }] }),
    path: 'spec.rules[0].from[0].source',
    message: 'Cannot set serviceAccounts with namespaces or principals',
  },
  {
    name: 'Istio telemetry: tag overrides that UPSERT carry a value (rule on map values in nested lists)',
    invalid: object('telemetry.istio.io/v1', 'Telemetry', { metrics: [{ overrides: [{ tagOverrides: { request_host: { operation: 'UPSERT', value: '' } } }] }] }),
    valid: object('telemetry.istio.io/v1', 'Telemetry', { metrics: [{ overrides: [{ tagOverrides: { request_host: { operation: 'UPSERT', value: 'request.host' } } }] }] }),
    path: 'spec.metrics[0].overrides[0].tagOverrides.request_host',
    message: 'value must be set when operation is UPSERT',
  },
  {
    name: 'Istio extensions: WasmPlugin URLs are http(s), file or oci (Kubernetes URL library)',
    invalid: object('extensions.istio.io/v1alpha1', 'WasmPlugin', { url: 'ftp://registry.example.com/filter.wasm' }),
    valid: object('extensions.istio.io/v1alpha1', 'WasmPlugin', { url: 'oci://registry.example.com/filter:1.0' }),
    path: 'spec.url',
    message: 'url must have schema one of [http, https, file, oci]',
  },
  {
    name: 'Sail: Istio keeps values.global.istioNamespace equal to spec.namespace (escaped property name)',
    invalid: object('sailoperator.io/v1', 'Istio', { namespace: 'istio-control', values: { global: { istioNamespace: 'istio-system' } } }, 'default', null),
    valid: object('sailoperator.io/v1', 'Istio', { namespace: 'istio-control', values: { global: { istioNamespace: 'istio-control' } } }, 'default', null),
    path: 'spec',
    message: 'spec.values.global.istioNamespace must match spec.namespace',
  },
  {
    name: 'Sail: IstioCNI is named default (rule on the root, reading metadata.name)',
    invalid: object('sailoperator.io/v1', 'IstioCNI', { namespace: 'istio-cni' }, 'cni', null),
    valid: object('sailoperator.io/v1', 'IstioCNI', { namespace: 'istio-cni' }, 'default', null),
    path: '(root)',
    message: "metadata.name must be 'default'",
  },
  {
    name: 'Sail: at most one tracing provider in defaultConfig',
    invalid: object('sailoperator.io/v1', 'Istio', { namespace: 'istio-system', values: { meshConfig: { defaultConfig: { tracing: { zipkin: { address: 'zipkin:9411' }, datadog: { address: 'dd:8126' } } } } } }, 'default', null),
    valid: object('sailoperator.io/v1', 'Istio', { namespace: 'istio-system', values: { meshConfig: { defaultConfig: { tracing: { zipkin: { address: 'zipkin:9411' } } } } } }, 'default', null),
    path: 'spec.values.meshConfig.defaultConfig.tracing',
    message: 'At most one of [zipkin lightstep datadog stackdriver openCensusAgent] should be set',
  },
  {
    name: 'grafana-operator: GrafanaDashboard takes folderUID or folderRef',
    invalid: object('grafana.integreatly.org/v1beta1', 'GrafanaDashboard', { instanceSelector: INSTANCE_SELECTOR, json: '{}', folderUID: 'istio', folderRef: 'istio' }),
    valid: object('grafana.integreatly.org/v1beta1', 'GrafanaDashboard', { instanceSelector: INSTANCE_SELECTOR, json: '{}', folderRef: 'istio' }),
    path: 'spec',
    message: 'Only one of folderUID or folderRef can be declared at the same time',
  },
  {
    name: 'prometheus-operator: Prometheus rollingUpdate only with type RollingUpdate',
    invalid: object('monitoring.coreos.com/v1', 'Prometheus', { updateStrategy: { type: 'OnDelete', rollingUpdate: { maxUnavailable: 1 } } }),
    valid: object('monitoring.coreos.com/v1', 'Prometheus', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } } }),
    path: 'spec.updateStrategy',
    message: 'rollingUpdate requires type to be RollingUpdate',
  },
  {
    name: 'prometheus-operator: ScrapeConfig takes at most one authentication (filter macro on a list literal)',
    invalid: object('monitoring.coreos.com/v1alpha1', 'ScrapeConfig', {
      authorization: { credentials: { name: 'token', key: 'token' } },
      basicAuth: { username: { name: 'auth', key: 'user' }, password: { name: 'auth', key: 'password' } },
    }),
    valid: object('monitoring.coreos.com/v1alpha1', 'ScrapeConfig', { authorization: { credentials: { name: 'token', key: 'token' } } }),
    path: 'spec',
    message: 'at most one of basicAuth, authorization, or oauth2 can be configured',
  },
  {
    name: 'Gateway API: TLSRoute hostnames are names, not IPs (Kubernetes IP library)',
    invalid: object('gateway.networking.k8s.io/v1', 'TLSRoute', { hostnames: ['10.0.0.1'], rules: [{ backendRefs: [{ name: 'shop', port: 443 }] }] }),
    valid: object('gateway.networking.k8s.io/v1', 'TLSRoute', { hostnames: ['shop.example.com'], rules: [{ backendRefs: [{ name: 'shop', port: 443 }] }] }),
    path: 'spec.hostnames',
    message: 'Hostnames cannot contain an IP',
  },
  {
    name: 'Gateway API: Gateway listener names are unique (exists_one)',
    invalid: object('gateway.networking.k8s.io/v1', 'Gateway', {
      gatewayClassName: 'istio',
      listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }, { name: 'http', port: 8080, protocol: 'HTTP' }],
    }),
    valid: object('gateway.networking.k8s.io/v1', 'Gateway', {
      gatewayClassName: 'istio',
      listeners: [{ name: 'http', port: 80, protocol: 'HTTP' }, { name: 'http-alt', port: 8080, protocol: 'HTTP' }],
    }),
    path: 'spec.listeners',
    message: 'Listener name must be unique within the Gateway',
  },
];

describe('CEL rules of the CRDs, evaluated as the API server does on create', () => {
  test.each(CASES)('$name', ({ invalid, valid, path, message }) => {
    // WHEN
    const refused = validator.validate(invalid);
    const accepted = validator.validate(valid);
    // THEN the broken rule is reported with its own message at the node that declares it
    expect(refused).toEqual([expect.objectContaining({ path, message, reason: 'FieldValueInvalid', celRule: expect.any(String) })]);
    expect(accepted).toEqual([]);
  });

  test('Sail Istio with spec.namespace istio-control and values.global.istioNamespace istio-system is refused', () => {
    // GIVEN the one-of conflict build-mesh must never produce
    const istio = object('sailoperator.io/v1', 'Istio', {
      namespace: 'istio-control',
      version: 'v1.30.3',
      values: { global: { istioNamespace: 'istio-system' } },
    }, 'default', null);
    // WHEN
    const violations = validator.validate(istio);
    // THEN
    expect(violations).toEqual([{
      object: 'Istio/default',
      path: 'spec',
      message: 'spec.values.global.istioNamespace must match spec.namespace',
      celRule: expect.stringContaining('self.values.global.istioNamespace == self.__namespace__'),
      reason: 'FieldValueInvalid',
    }]);
  });

  test('transition rules (oldSelf) do not apply on create', () => {
    // GIVEN IstioCNI, whose spec.namespace has the rule `self == oldSelf`
    const schema = validator.rawSchema('sailoperator.io/v1', 'IstioCNI');
    expect(schema.properties.spec.properties.namespace['x-kubernetes-validations']).toContainEqual(expect.objectContaining({ rule: 'self == oldSelf' }));
    // THEN an IstioCNI passes: there is no old object to compare with
    expect(validator.validate(object('sailoperator.io/v1', 'IstioCNI', { namespace: 'istio-cni' }, 'default', null))).toEqual([]);
  });

  test('rules of an IstioOperator fragment are checked against the Sail values schema', () => {
    // WHEN a meshConfig with two tracing providers is checked as validateManifests checks an IstioOperator's
    const violations = validator.validateFragment('sailoperator.io/v1', 'Istio', ['spec', 'values', 'meshConfig'],
      { defaultConfig: { tracing: { zipkin: { address: 'zipkin:9411' }, datadog: { address: 'dd:8126' } } } }, 'IstioOperator/istio-system/istio');
    // THEN
    expect(violations).toEqual([expect.objectContaining({
      path: 'defaultConfig.tracing',
      message: 'At most one of [zipkin lightstep datadog stackdriver openCensusAgent] should be set',
    })]);
  });

  test('the rules of a CRD the user brings are evaluated too', () => {
    // GIVEN a CRD of a kind no shipped CRD defines, with a rule
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cel-user-crd-'));
    const crd = widgetCrd({
      'type': 'object',
      'properties': { min: { type: 'integer' }, max: { type: 'integer' } },
      'x-kubernetes-validations': [{ rule: 'self.min <= self.max', message: 'min must not exceed max', fieldPath: '.min' }],
    });
    fs.writeFileSync(path.join(dir, 'widget.yaml'), yaml.dump(crd));
    try {
      // WHEN
      const violations = validateManifests([object('example.com/v1', 'Widget', { min: 5, max: 2 })], { crds: [path.join(dir, 'widget.yaml')] });
      // THEN
      expect(violations).toEqual([expect.objectContaining({ object: 'Widget/shop/example', path: 'spec.min', message: 'min must not exceed max' })]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test.each([
    ['jaegertracing.io/v1', 'Jaeger'],
    ['kiali.io/v1alpha1', 'Kiali'],
  ])('%s %s declares no CEL rules (nothing to evaluate; a new rule would need a case above)', (apiVersion, kind) => {
    // THEN
    expect(JSON.stringify(validator.rawSchema(apiVersion, kind))).not.toContain('x-kubernetes-validations');
  });
});
