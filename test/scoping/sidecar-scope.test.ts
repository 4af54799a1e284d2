import { Chart } from 'cdk8s';
import { SidecarScope } from '../../lib';
import { findOne, fragmentApp, fragmentChart, synthValid } from '../helpers/manifests';

describe('SidecarScope', () => {
  test('a namespace default Sidecar with validated egress hosts', () => {
    // GIVEN
    const chart = fragmentChart();
    // WHEN
    const sidecar = new SidecarScope(chart, 'shop', { namespace: 'shop', egressHosts: ['./*', 'istio-system/*'] });
    sidecar.addEgressHost('payments/*');
    // THEN
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    const resource = findOne(manifests, 'Sidecar', 'default');
    expect(resource.apiVersion).toBe('networking.istio.io/v1');
    expect(resource.metadata.namespace).toBe('shop');
    expect(resource.spec.egress).toEqual([{ hosts: ['./*', 'istio-system/*', 'payments/*'] }]);
    expect(resource.spec.workloadSelector).toBeUndefined();
  });

  test('a Sidecar for selected workloads', () => {
    // GIVEN
    const chart = fragmentChart();
    new SidecarScope(chart, 'default', { namespace: 'shop', egressHosts: ['./*'] });
    // WHEN
    new SidecarScope(chart, 'reviews', {
      namespace: 'shop', name: 'reviews', workloadSelector: { 'app': 'reviews', 'app.kubernetes.io/version': 'v2' }, egressHosts: ['./*', 'ratings/*'],
    });
    // THEN
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    const reviews = findOne(manifests, 'Sidecar', 'reviews');
    expect(reviews.spec.workloadSelector).toEqual({ labels: { 'app': 'reviews', 'app.kubernetes.io/version': 'v2' } });
    expect(reviews.spec.egress[0].hosts).toEqual(['./*', 'ratings/*']);
  });

  test('a bad egress host is rejected with its index', () => {
    // GIVEN
    const chart = fragmentChart();
    // THEN
    expect(() => new SidecarScope(chart, 'shop', { namespace: 'shop', egressHosts: ['./*', 'foo'] }))
      .toThrow(/egressHosts\[1\] must be of the form namespace\/dnsName.*got 'foo'/);
    expect(() => new SidecarScope(chart, 'shop2', { namespace: 'shop2', egressHosts: ['a/b/c'] })).toThrow(/egressHosts\[0\].*'a\/b\/c'/);
    expect(() => new SidecarScope(chart, 'shop3', { namespace: 'shop3', egressHosts: ['Bad_NS/*'] })).toThrow(/namespace part.*'Bad_NS'/);
  });

  test('addEgressHost validates too', () => {
    // GIVEN
    const sidecar = new SidecarScope(fragmentChart(), 'shop', { namespace: 'shop', egressHosts: ['./*'] });
    // THEN
    expect(() => sidecar.addEgressHost('foo')).toThrow(/egress host must be of the form namespace\/dnsName.*got 'foo'/);
  });

  test('a second Sidecar without workloadSelector in a namespace names the namespace and both paths', () => {
    // GIVEN
    const chart = fragmentChart();
    new SidecarScope(chart, 'first', { namespace: 'shop', egressHosts: ['./*'] });
    // THEN
    expect(() => new SidecarScope(chart, 'second', { namespace: 'shop', name: 'other', egressHosts: ['./*'] }))
      .toThrow(/namespace shop already has a Sidecar without workloadSelector \(test\/first\); a second one \(test\/second\)/);
  });

  test('default Sidecars are counted per app, across charts', () => {
    // GIVEN two charts of one app
    const app = fragmentApp();
    new SidecarScope(new Chart(app, 'a'), 'sidecar', { namespace: 'shop', egressHosts: ['./*'] });
    // THEN
    expect(() => new SidecarScope(new Chart(app, 'b'), 'sidecar', { namespace: 'shop', name: 'x', egressHosts: ['./*'] }))
      .toThrow(/a\/sidecar.*b\/sidecar/);
    // AND another app is independent
    expect(() => new SidecarScope(fragmentChart(), 'sidecar', { namespace: 'shop', egressHosts: ['./*'] })).not.toThrow();
  });

  test('two Sidecars of one name in a namespace are rejected', () => {
    // GIVEN
    const chart = fragmentChart();
    new SidecarScope(chart, 'a', { namespace: 'shop', name: 'reviews', workloadSelector: { app: 'reviews' }, egressHosts: ['./*'] });
    // THEN
    expect(() => new SidecarScope(chart, 'b', { namespace: 'shop', name: 'reviews', workloadSelector: { app: 'ratings' }, egressHosts: ['./*'] }))
      .toThrow(/namespace shop already has a Sidecar named 'reviews' \(test\/a\); test\/b needs another name/);
  });

  test('workloadSelector needs a name and valid labels', () => {
    // GIVEN
    const chart = fragmentChart();
    // THEN
    expect(() => new SidecarScope(chart, 'a', { namespace: 'shop', workloadSelector: { app: 'reviews' }, egressHosts: ['./*'] }))
      .toThrow(/a Sidecar with a workloadSelector needs a name/);
    expect(() => new SidecarScope(chart, 'b', { namespace: 'shop', name: 'b', workloadSelector: {}, egressHosts: ['./*'] }))
      .toThrow(/workloadSelector must have at least one label/);
    expect(() => new SidecarScope(chart, 'c', { namespace: 'shop', name: 'c', workloadSelector: { app: 'not valid' }, egressHosts: ['./*'] }))
      .toThrow(/workloadSelector must have Kubernetes label values .*got 'not valid' for key 'app'/);
    expect(() => new SidecarScope(chart, 'd', { namespace: 'shop', name: 'd', workloadSelector: { 'bad key!': 'x' }, egressHosts: ['./*'] }))
      .toThrow(/workloadSelector must have Kubernetes label keys .*got key 'bad key!'/);
    expect(() => new SidecarScope(chart, 'e', { namespace: 'shop', name: 'e', workloadSelector: { [`${'p'.repeat(254)}/app`]: 'x' }, egressHosts: ['./*'] }))
      .toThrow(/workloadSelector must have Kubernetes label keys .*prefix of at most 253 characters/);
  });

  test('the namespace must be a DNS-1123 label', () => {
    // THEN
    expect(() => new SidecarScope(fragmentChart(), 's', { namespace: 'Shop', egressHosts: ['./*'] })).toThrow(/namespace must be a DNS-1123 label.*'Shop'/);
  });
});
