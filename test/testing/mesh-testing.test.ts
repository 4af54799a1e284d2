import { Chart, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { IstioControlPlane, MeshNamespace, MeshTesting, MeshValidation, MeshValidationError, SidecarInjection } from '../../lib';

describe('MeshTesting.synth', () => {
  test('returns the objects of one chart, as Testing.synth does, once the whole app passed the checks', () => {
    // GIVEN an app of two charts
    const app = Testing.app();
    new IstioControlPlane(new Chart(app, 'istio'), 'control-plane');
    const shop = new Chart(app, 'shop');
    new MeshNamespace(shop, 'shop', { name: 'shop', injection: SidecarInjection.enabled() });
    // WHEN
    const objects = MeshTesting.synth(shop);
    // THEN
    expect(objects).toMatchSnapshot();
    expect(objects.map((o) => `${o.kind} ${o.metadata.name}`)).toEqual(['Namespace shop']);
  });

  test('throws every finding of the app, also of another chart, naming the object and the fix', () => {
    // GIVEN a chart whose object lives in a namespace nothing creates, beside the chart under test
    const app = Testing.app();
    const broken = new Chart(app, 'broken');
    new k8s.KubeConfigMap(broken, 'orphan', { metadata: { name: 'orphan', namespace: 'nowhere' } });
    const fine = new Chart(app, 'fine');
    new MeshNamespace(fine, 'shop', { name: 'shop' });
    // THEN
    expect(() => MeshTesting.synth(fine)).toThrow(MeshValidationError);
    expect(() => MeshTesting.synth(fine)).toThrow(/ConfigMap\/nowhere\/orphan metadata\.namespace: namespace 'nowhere' is neither in the output nor declared external/);
  });

  test('counts the app\'s external namespaces and those given to it', () => {
    // GIVEN objects in two namespaces made elsewhere, one declared to the app
    const app = Testing.app();
    const chart = new Chart(app, 'apps');
    new k8s.KubeConfigMap(chart, 'a', { metadata: { name: 'a', namespace: 'team-a' } });
    new k8s.KubeConfigMap(chart, 'b', { metadata: { name: 'b', namespace: 'team-b' } });
    MeshValidation.of(app).addExternalNamespaces('team-a');
    // THEN the other is refused until it is given
    expect(() => MeshTesting.synth(chart)).toThrow(/namespace 'team-b'/);
    expect(MeshTesting.synth(chart, { externalNamespaces: ['team-b'] })).toHaveLength(2);
  });
});
