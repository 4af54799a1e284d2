import { Chart, Testing } from 'cdk8s';
import {
  analyzeMesh,
  InstallPath,
  IngressGateway,
  IstioControlPlane,
  IstioOperatorFile,
  IstioVersion,
  Manifest,
  MeshNamespace,
  MeshRule,
  MeshWarningCode,
  MeshWarnings,
  SidecarInjection,
  validateManifests,
} from '../../lib';
import { findOne, fragmentChart, synthValid } from '../helpers/manifests';

const v = IstioVersion.of;
const canary = { versions: [v('1.30.7'), v('1.31.3')], tags: { 'prod-stable': v('1.30.7'), 'prod-canary': v('1.31.3') } };

describe('IstioControlPlane with revisions (Sail RevisionBased)', () => {
  test('one Istio named default at the newest release, RevisionBased; one IstioRevisionTag per tag on the concrete IstioRevision', () => {
    // GIVEN
    const chart = fragmentChart();
    // WHEN
    const controlPlane = new IstioControlPlane(chart, 'istio', { revisions: { ...canary, inactiveRevisionDeletionGracePeriodSeconds: 120 }, cni: {} });
    // THEN
    const manifests = synthValid(chart);
    expect(controlPlane.istioVersion.toString()).toBe('1.31.3');
    expect(controlPlane.revisions?.revisions.map((r) => r.name)).toEqual(['default-v1-30-7', 'default-v1-31-3']);
    const istio = findOne(manifests, 'Istio');
    expect(istio.metadata.name).toBe('default');
    expect(istio.spec.version).toBe('v1.31.3');
    expect(istio.spec.updateStrategy).toEqual({ type: 'RevisionBased', inactiveRevisionDeletionGracePeriodSeconds: 120 });
    expect(findOne(manifests, 'IstioRevisionTag', 'prod-stable').spec).toEqual({ targetRef: { kind: 'IstioRevision', name: 'default-v1-30-7' } });
    expect(findOne(manifests, 'IstioRevisionTag', 'prod-canary').spec).toEqual({ targetRef: { kind: 'IstioRevision', name: 'default-v1-31-3' } });
    // the cluster singleton stays single, at the newest release
    expect(manifests.filter((m) => m.kind === 'IstioCNI').map((m: any) => m.spec.version)).toEqual(['v1.31.3']);
  });

  test('the grace period is Sail\'s own unless given', () => {
    const chart = fragmentChart();
    new IstioControlPlane(chart, 'istio', { revisions: canary });
    expect(findOne(synthValid(chart), 'Istio').spec.updateStrategy).toEqual({ type: 'RevisionBased' });
  });

  test('a revision past end of life warns like a single release does', () => {
    const chart = fragmentChart();
    new IstioControlPlane(chart, 'istio', { revisions: { versions: [v('1.28.10'), v('1.30.7')] } });
    expect(MeshWarnings.of(chart).all.filter((w) => w.code === MeshWarningCode.ISTIO_END_OF_LIFE).map((w) => w.message)).toEqual([expect.stringMatching(/^Istio 1\.28 is past end of life/)]);
  });

  test.each([
    ['two revisions of the same release', { versions: [v('1.30.7'), v('1.30.7')] }, /^revisions\.versions\[1\] is 1\.30\.7 again: two revisions would have the same name default-v1-30-7/],
    ['a canary across three minors', { versions: [v('1.28.10'), v('1.31.3')] }, /^revisions\.versions run 1\.28\.10 and 1\.31\.3, more than two minors apart/],
    ['a tag on a release that does not run', { versions: [v('1.30.7')], tags: { canary: v('1.31.3') } }, /^revisions\.tags\.canary points at 1\.31\.3, which is not a running revision \(1\.30\.7\)/],
    ['a tag named like a revision', { versions: [v('1.30.7')], tags: { 'default-v1-30-7': v('1.30.7') } }, /^revisions\.tags\.default-v1-30-7 is named like a revision/],
    ['no release', { versions: [] }, /^revisions\.versions must list at least one Istio release/],
    ['a release without patch', { versions: [v('1.30')] }, /^revisions\.versions\[0\] must name a patch release/],
    ['a negative grace period', { versions: [v('1.30.7')], inactiveRevisionDeletionGracePeriodSeconds: -1 }, /inactiveRevisionDeletionGracePeriodSeconds must be a whole number of seconds, 0 or more, got -1/],
  ])('refused: %s', (_name, revisions, message) => {
    expect(() => new IstioControlPlane(fragmentChart(), 'istio', { revisions })).toThrow(message);
  });

  test('every running revision must support the cluster\'s Kubernetes', () => {
    expect(() => new IstioControlPlane(fragmentChart(), 'istio', { kubernetesVersion: '1.36', revisions: { versions: [v('1.29.10'), v('1.31.3')] } }))
      .toThrow(/^Istio 1\.29 supports Kubernetes 1\.31 to 1\.35, got kubernetesVersion 1\.36/);
  });

  test('revisions replaces version and revision', () => {
    expect(() => new IstioControlPlane(fragmentChart(), 'istio', { revisions: canary, version: v('1.31.3') })).toThrow(/revisions replaces version and revision/);
    expect(() => new IstioControlPlane(fragmentChart(), 'istio', { revisions: canary, revision: 'canary' })).toThrow(/revisions replaces version and revision/);
  });

  test('in-cluster operator (1.23 and earlier, its default there): an operator and an IstioOperator per revision, one CRD', () => {
    // GIVEN
    const chart = fragmentChart();
    // WHEN
    const controlPlane = new IstioControlPlane(chart, 'istio', { revisions: { versions: [v('1.22.8'), v('1.23.6')], tags: { 'prod-stable': v('1.22.8') } } });
    // THEN
    const manifests = synthValid(chart);
    expect(controlPlane.installPath).toBe(InstallPath.IN_CLUSTER_OPERATOR);
    expect(manifests.filter((m) => m.kind === 'CustomResourceDefinition')).toHaveLength(1);
    expect(manifests.filter((m) => m.kind === 'Deployment').map((d: any) => [d.metadata.name, d.spec.template.spec.containers[0].image,
      d.spec.template.spec.containers[0].env.find((e: any) => e.name === 'REVISION').value])).toEqual([
      ['istio-operator-default-v1-22-8', 'docker.io/istio/operator:1.22.8', 'default-v1-22-8'],
      ['istio-operator-default-v1-23-6', 'docker.io/istio/operator:1.23.6', 'default-v1-23-6'],
    ]);
    expect(manifests.filter((m) => m.kind === 'IstioOperator').map((iop: any) => [iop.metadata.name, iop.spec.revision, iop.spec.values.revisionTags])).toEqual([
      ['control-plane-default-v1-22-8', 'default-v1-22-8', ['prod-stable']],
      ['control-plane-default-v1-23-6', 'default-v1-23-6', undefined],
    ]);
    expect(controlPlane.resource?.name).toBe('control-plane-default-v1-23-6');
  });

  test('istioctl: an IstioOperatorFile per revision, named and labelled by revision, with the tags on it as values.revisionTags', () => {
    // GIVEN
    const app = Testing.app();
    const controlPlane = new IstioControlPlane(new Chart(app, 'istio'), 'istio', { revisions: canary, installPath: InstallPath.ISTIOCTL });
    const files = new Chart(app, 'istioctl', { namespace: 'istio-system' });
    // WHEN
    new IstioOperatorFile(files, 'stable', { controlPlane, revision: 'default-v1-30-7' });
    new IstioOperatorFile(files, 'newest', { controlPlane });
    // THEN
    const iops = Testing.synth(files) as any[];
    expect(iops.map((iop) => [iop.metadata.name, iop.spec.revision, iop.spec.values.revisionTags])).toEqual([
      ['control-plane-default-v1-30-7', 'default-v1-30-7', ['prod-stable']],
      ['control-plane-default-v1-31-3', 'default-v1-31-3', ['prod-canary']],
    ]);
    expect(validateManifests(iops)).toEqual([]);
    expect(() => new IstioOperatorFile(files, 'unknown', { controlPlane, revision: 'default-v1-29-0' })).toThrow(/revision 'default-v1-29-0' is not one of the control plane's \(default-v1-30-7, default-v1-31-3\)/);
  });

  test('an egress gateway needs its injection chosen when no tag is named default', () => {
    expect(() => new IstioControlPlane(fragmentChart(), 'istio', { revisions: canary, egressGateway: {} })).toThrow(/egressGateway\.injection is required with revisions/);
  });
});

describe('the mesh analysis: istio.io/rev must select a running revision or tag', () => {
  function output(namespaceRevision: string, gatewayRevision: string): Manifest[] {
    const chart = fragmentChart();
    new IstioControlPlane(chart, 'istio', { revisions: canary });
    new MeshNamespace(chart, 'shop', { name: 'shop', injection: SidecarInjection.revision(namespaceRevision) });
    new IngressGateway(chart, 'gateway', { namespace: new MeshNamespace(chart, 'ingress', { name: 'istio-ingress', injection: SidecarInjection.revision(gatewayRevision) }), revision: gatewayRevision });
    return Testing.synth(chart) as Manifest[];
  }
  const findings = (manifests: Manifest[]) => analyzeMesh(manifests).filter((f) => f.rule === MeshRule.REVISION_EXISTS);

  test('tags and revision names pass', () => {
    expect(findings(output('prod-canary', 'default-v1-30-7'))).toEqual([]);
  });

  test('a namespace and a gateway on a tag that does not exist are refused, naming what exists', () => {
    expect(findings(output('prod-stabel', 'prod'))).toEqual([
      expect.objectContaining({ object: 'Namespace/shop', path: "metadata.labels['istio.io/rev']", message: expect.stringMatching(/^namespace shop selects istio\.io\/rev=prod-stabel, which no revision or tag of the output's control plane is \(prod-stable, prod-canary, default-v1-31-3, default-v1-30-7\)/) }),
      expect.objectContaining({ object: 'Namespace/istio-ingress' }),
      expect.objectContaining({ object: 'Deployment/istio-ingress/istio-ingressgateway', path: "spec.template.metadata.labels['istio.io/rev']" }),
    ]);
  });

  test('a tag pointing at nothing, and istio-injection=enabled without a default tag, are refused', () => {
    const manifests: Manifest[] = [
      { apiVersion: 'sailoperator.io/v1', kind: 'Istio', metadata: { name: 'default' }, spec: { namespace: 'istio-system', version: 'v1.31.3', updateStrategy: { type: 'RevisionBased' } } },
      { apiVersion: 'sailoperator.io/v1', kind: 'IstioRevisionTag', metadata: { name: 'prod' }, spec: { targetRef: { kind: 'Istio', name: 'canary' } } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'istio-system' } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'istio-injection': 'enabled' } } },
    ];
    expect(findings(manifests).map((f) => `${f.object} ${f.message}`)).toEqual([
      expect.stringMatching(/^IstioRevisionTag\/prod the tag points at Istio canary, which the output does not run \(revisions: default-v1-31-3\)/),
      expect.stringMatching(/^Namespace\/shop namespace shop is labelled istio-injection=enabled, which selects the default revision, but the revision-based control plane has no revision or tag named default/),
    ]);
  });

  test('without an install resource in the output nothing is checked (the control plane is installed elsewhere)', () => {
    expect(findings([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'istio.io/rev': 'anything' } } }])).toEqual([]);
  });
});
