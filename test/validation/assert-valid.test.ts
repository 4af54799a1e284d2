import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Manifest, MeshNamespace, MeshRule, MeshValidationError, SidecarInjection, assertValid, validateApp, validateMesh } from '../../lib';
import { fragmentApp, fragmentChart } from '../helpers/manifests';

/** A chart with one problem of each sort: schema, unknown kind, namespace, Sidecar egress. */
function brokenChart(): Chart {
  const app = fragmentApp();
  const chart = new Chart(app, 'mesh');
  new MeshNamespace(chart, 'shop', { name: 'shop', injection: SidecarInjection.enabled() });
  new k8s.KubeService(chart, 'web', { metadata: { name: 'web', namespace: 'shop' }, spec: { ports: [{ port: 80 }] } });
  const bad = new k8s.KubeService(chart, 'api', { metadata: { name: 'api', namespace: 'shop' }, spec: { ports: [{ port: 8080 }] } });
  // the typed API cannot produce a wrong type: an escape-hatch patch can
  bad.addJsonPatch(JsonPatch.replace('/spec/ports/0/port', 'http'));
  new k8s.KubeConfigMap(chart, 'lost', { metadata: { name: 'lost', namespace: 'shpo' } });
  new ApiObject(chart, 'widget', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'shop' } });
  new ApiObject(chart, 'sidecar', {
    apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: { name: 'default', namespace: 'shop' },
    spec: { egress: [{ hosts: ['./*', 'billing/*'] }] },
  });
  return chart;
}

describe('assertValid', () => {
  test('passes a valid output', () => {
    // GIVEN
    const chart = fragmentChart();
    new MeshNamespace(chart, 'shop', { name: 'shop', injection: SidecarInjection.enabled() });
    new k8s.KubeService(chart, 'web', { metadata: { name: 'web', namespace: 'shop' }, spec: { ports: [{ port: 80 }] } });
    const manifests = Testing.synth(chart) as Manifest[];
    // THEN
    expect(manifests).toMatchSnapshot();
    expect(() => assertValid(manifests)).not.toThrow();
  });

  test('throws one error that lists every problem, one a line', () => {
    // GIVEN
    const manifests = Testing.synth(brokenChart()) as Manifest[];
    // WHEN
    let error: unknown;
    try {
      assertValid(manifests);
    } catch (caught) {
      error = caught;
    }
    // THEN
    expect(error).toBeInstanceOf(MeshValidationError);
    const lines = (error as Error).message.split('\n');
    expect(lines[0]).toBe('the output has 4 problems; nothing was written:');
    expect(lines.slice(1)).toEqual([
      'Service/shop/api spec.ports[0].port: must be integer',
      expect.stringMatching(/^Widget\/shop\/w \(root\): no schema known for example.com\/v1\/Widget/),
      expect.stringMatching(/^ConfigMap\/shpo\/lost metadata.namespace: namespace 'shpo' is neither in the output/),
      expect.stringMatching(/^Sidecar\/shop\/default spec.egress\[0\].hosts\[1\]: host 'billing\/\*' names namespace 'billing'/),
    ]);
    expect((error as MeshValidationError).findings.map((f) => f.rule)).toEqual([
      MeshRule.SCHEMA, MeshRule.SCHEMA, MeshRule.NAMESPACE_EXISTS, MeshRule.SIDECAR_EGRESS_NAMESPACE,
    ]);
    expect((error as Error).message).toMatchSnapshot();
  });

  test('takes declared external namespaces into account', () => {
    const manifests = Testing.synth(brokenChart()) as Manifest[];
    const findings = validateMesh(manifests, { externalNamespaces: ['billing', 'shpo'] });
    expect(findings.map((f) => f.rule)).toEqual([MeshRule.SCHEMA, MeshRule.SCHEMA]);
  });
});

describe('validateApp', () => {
  test('checks the objects of every chart of an app', () => {
    // GIVEN two charts: the namespace in one, a bad object in the other
    const app = fragmentApp();
    const base = new Chart(app, 'base');
    new MeshNamespace(base, 'shop', { name: 'shop' });
    const workloads = new Chart(app, 'workloads');
    new k8s.KubeConfigMap(workloads, 'ok', { metadata: { name: 'ok', namespace: 'shop' } });
    new k8s.KubeConfigMap(workloads, 'lost', { metadata: { name: 'lost', namespace: 'nowhere' } });
    // THEN
    expect(() => validateApp(app)).toThrow(/has 1 problem;.*\nConfigMap\/nowhere\/lost metadata.namespace: namespace 'nowhere'/);
    expect(() => validateApp(app, { externalNamespaces: ['nowhere'] })).not.toThrow();
  });
});
