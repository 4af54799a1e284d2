import { Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { CoreSchemaValidator, Manifest, validateManifests } from '../../lib';

const validator = CoreSchemaValidator.shared();

function deployment(container: Record<string, unknown>, extraSpec: Record<string, unknown> = {}): Manifest {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', ...container }] } },
      ...extraSpec,
    },
  };
}

describe('CoreSchemaValidator', () => {
  test('accepts the core kinds the library emits', () => {
    // GIVEN one object of each core kind, built with the typed cdk8s-plus L1 classes
    const chart = Testing.chart();
    const metadata = { name: 'mesh', namespace: 'shop' };
    new k8s.KubeNamespace(chart, 'ns', { metadata: { name: 'shop', labels: { 'istio-injection': 'enabled' } } });
    new k8s.KubeConfigMap(chart, 'cm', { metadata, data: { 'config.yaml': 'a: 1' } });
    new k8s.KubeSecret(chart, 'secret', { metadata, stringData: { token: 'x' } });
    new k8s.KubeServiceAccount(chart, 'sa', { metadata });
    new k8s.KubeService(chart, 'svc', { metadata, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: k8s.IntOrString.fromString('http') }] } });
    new k8s.KubeClusterRole(chart, 'role', { metadata: { name: 'mesh' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] });
    new k8s.KubeRoleBinding(chart, 'binding', {
      metadata, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'mesh' },
      subjects: [{ kind: 'ServiceAccount', name: 'mesh', namespace: 'shop' }],
    });
    new k8s.KubeHorizontalPodAutoscalerV2(chart, 'hpa', {
      metadata, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 5,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }] },
    });
    new k8s.KubePodDisruptionBudget(chart, 'pdb', { metadata, spec: { minAvailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: { app: 'web' } } } });
    new k8s.KubeCustomResourceDefinition(chart, 'crd', {
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com', scope: 'Namespaced', names: { plural: 'widgets', kind: 'Widget' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openApiv3Schema: { type: 'object', properties: { spec: { type: 'object', default: { size: 1 } } } } } }],
      },
    });
    new k8s.KubeValidatingWebhookConfiguration(chart, 'webhook', {
      metadata: { name: 'mesh' },
      webhooks: [{ name: 'v.example.com', admissionReviewVersions: ['v1'], sideEffects: 'None', clientConfig: { service: { name: 'hook', namespace: 'shop' } } }],
    });
    const manifests = Testing.synth(chart) as Manifest[];
    // WHEN
    const violations = validateManifests(manifests);
    // THEN
    expect(manifests).toMatchSnapshot();
    expect(violations).toEqual([]);
  });

  test('rejects an unknown field in a Deployment, with its path', () => {
    // GIVEN a misspelled container field and a misspelled spec field
    const manifest = deployment({ imagePullPolicyy: 'Always' }, { strategyy: { type: 'Recreate' } });
    // WHEN
    const violations = validator.validate(manifest);
    // THEN
    expect(violations).toEqual([
      { object: 'Deployment/shop/web', path: 'spec.template.spec.containers[0]', message: "unknown field 'imagePullPolicyy'" },
      { object: 'Deployment/shop/web', path: 'spec', message: "unknown field 'strategyy'" },
    ]);
  });

  test('rejects a wrong type in a Service port', () => {
    // GIVEN a port number written as a word
    const service = {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 'eighty' }] },
    };
    // WHEN
    const messages = validator.validate(service).map((v) => `${v.path}: ${v.message}`);
    // THEN
    expect(messages).toContain('spec.ports[0].port: must be integer');
  });

  test('rejects a missing required field and a bad enum value', () => {
    // GIVEN a RoleBinding without roleRef and a container with an unknown pull policy
    const binding = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'b', namespace: 'shop' } };
    // THEN
    expect(validator.validate(binding).map((v) => v.message)).toContain('must have required property roleRef');
    expect(validator.validate(deployment({ imagePullPolicy: 'Sometimes' })).map((v) => v.path))
      .toContain('spec.template.spec.containers[0].imagePullPolicy');
  });

  test('accepts any keys in maps and free-form values', () => {
    // GIVEN labels, annotations and ConfigMap data, whose keys the schema does not list
    const configMap = {
      apiVersion: 'v1', kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'shop', labels: { 'app.kubernetes.io/name': 'c' }, annotations: { 'example.com/any': 'x' } },
      data: { 'config.yaml': 'a: 1', other: 'b' },
    };
    // THEN
    expect(validator.validate(configMap)).toEqual([]);
  });

  test('rejects an unknown field in metadata', () => {
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'shop', label: { a: 'b' } } };
    expect(validator.validate(configMap)).toEqual([{ object: 'ConfigMap/shop/c', path: 'metadata', message: "unknown field 'label'" }]);
  });

  test('knows top-level kinds only', () => {
    expect(validator.hasSchema('apps/v1', 'Deployment')).toBe(true);
    expect(validator.hasSchema('policy/v1', 'PodDisruptionBudget')).toBe(true);
    // a nested type of the schema, not an object of the API
    expect(validator.hasSchema('v1', 'PodSpec')).toBe(false);
    // a kind in the wrong group
    expect(validator.hasSchema('v1', 'Deployment')).toBe(false);
    expect(validator.hasSchema('networking.istio.io/v1', 'Sidecar')).toBe(false);
    // nothing that could walk out of the package
    expect(validator.hasSchema('../../x/v1', 'Deployment')).toBe(false);
  });

  test('refuses to pass a kind it has no schema for', () => {
    expect(() => validator.validate({ apiVersion: 'v1', kind: 'Widget', metadata: { name: 'w' } })).toThrow(/no Kubernetes schema for v1\/Widget/);
  });
});

describe('validateManifests with core and unknown kinds', () => {
  test('reports an object whose kind has no schema at all', () => {
    // GIVEN a kind that is neither a Kubernetes kind nor an imported CRD, next to a valid object
    const manifests = [
      { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'shop' } },
      deployment({}),
    ];
    // WHEN
    const violations = validateManifests(manifests);
    // THEN
    expect(violations).toEqual([{ object: 'Widget/shop/w', path: '(root)', message: expect.stringMatching(/^no schema known for example.com\/v1\/Widget: /) }]);
  });

  test('checks core kinds and custom resources side by side', () => {
    // GIVEN a bad Deployment and a bad Sidecar
    const sidecar = { apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: { name: 'default', namespace: 'shop' }, spec: { egresz: [] } };
    // WHEN
    const objects = validateManifests([deployment({ portz: [] }), sidecar]).map((v) => v.object);
    // THEN
    expect(objects).toEqual(['Deployment/shop/web', 'Sidecar/shop/default']);
  });
});
