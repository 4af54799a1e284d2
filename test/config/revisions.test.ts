import * as path from 'path';
import { loadMeshConfig, Manifest, MeshSpec } from '../../lib';
import { findOne } from '../helpers/manifests';
import { buildValidated, problemsOf } from '../helpers/mesh-build';

const EXAMPLE = path.resolve(__dirname, '../../examples/canary-upgrade/mesh.yaml');

/** The canary-upgrade example, changed by `edit` (a deep copy, so that tests stay apart). */
function example(edit: (spec: any) => void = () => undefined): MeshSpec {
  const spec = JSON.parse(JSON.stringify(loadMeshConfig(EXAMPLE)));
  edit(spec);
  return spec;
}

const namespaceLabels = (manifests: Manifest[], name: string) => findOne(manifests, 'Namespace', name).metadata.labels;

/** `Kind/namespace/name` to the object, for comparing two outputs object by object. */
function byIdentity(manifests: Manifest[]): Map<string, Manifest> {
  return new Map(manifests.map((m) => [`${m.kind}/${m.metadata?.namespace ?? ''}/${m.metadata?.name}`, m]));
}

/** The identities of the objects that differ between two outputs (added, removed or changed). */
function changedObjects(before: Manifest[], after: Manifest[]): string[] {
  const [a, b] = [byIdentity(before), byIdentity(after)];
  return [...new Set([...a.keys(), ...b.keys()])].filter((key) => JSON.stringify(a.get(key)) !== JSON.stringify(b.get(key))).sort();
}

describe('examples/canary-upgrade: two revisions of one revision-based Sail Istio, two tags', () => {
  test('renders the same objects as before (snapshot)', () => {
    const { manifests } = buildValidated(example());
    expect(manifests).toMatchSnapshot();
  });

  test('one Istio at the newest release, RevisionBased with the grace period; each tag names its concrete IstioRevision', () => {
    // GIVEN / WHEN
    const { manifests } = buildValidated(example());
    // THEN
    const istios = manifests.filter((m) => m.kind === 'Istio');
    expect(istios).toHaveLength(1);
    expect(istios[0].metadata?.name).toBe('default');
    expect((istios[0] as any).spec).toMatchObject({ version: 'v1.31.3', updateStrategy: { type: 'RevisionBased', inactiveRevisionDeletionGracePeriodSeconds: 300 } });
    const tags = manifests.filter((m) => m.kind === 'IstioRevisionTag').map((m: any) => [m.metadata.name, m.spec.targetRef]);
    expect(tags).toEqual([
      ['prod-stable', { kind: 'IstioRevision', name: 'default-v1-30-7' }],
      ['prod-canary', { kind: 'IstioRevision', name: 'default-v1-31-3' }],
    ]);
  });

  test('namespaces and the gateway select tags with istio.io/rev, never with istio-injection', () => {
    // GIVEN / WHEN
    const { manifests } = buildValidated(example());
    // THEN
    expect(namespaceLabels(manifests, 'shop')).toEqual({ 'istio.io/rev': 'prod-stable' });
    expect(namespaceLabels(manifests, 'payments')).toEqual({ 'istio.io/rev': 'prod-canary' });
    expect(namespaceLabels(manifests, 'istio-ingress')).toEqual({ 'istio.io/rev': 'prod-stable' });
    const gateway = findOne(manifests, 'Deployment', 'istio-ingressgateway');
    expect(gateway.spec.template.metadata.labels['istio.io/rev']).toBe('prod-stable');
    expect(manifests.filter((m) => m.kind === 'Namespace' && (m.metadata?.labels as any)?.['istio-injection'] === 'enabled')).toEqual([]);
  });

  test('a Gateway API gateway selects its tag with the Gateway\'s istio.io/rev label', () => {
    const { manifests } = buildValidated(example((spec) => { spec.ingressGateway = { namespace: 'istio-ingress', revisionTag: 'prod-canary', gatewayApi: {} }; }));
    const gateway = manifests.find((m) => m.kind === 'Gateway' && m.apiVersion.startsWith('gateway.networking.k8s.io/')) as any;
    expect(gateway.metadata.labels).toMatchObject({ 'istio.io/rev': 'prod-canary' });
  });

  test('istiod of every revision is scraped once: the ServiceMonitor selects istio=pilot, not one revision\'s Service name, and no tag Service', () => {
    const { manifests } = buildValidated(example());
    const monitor = manifests.find((m: any) => m.kind === 'ServiceMonitor' && m.spec.selector?.matchLabels?.istio === 'pilot') as any;
    expect(monitor.spec.selector.matchLabels).toEqual({ istio: 'pilot' });
    // each tag's Service (istiod-revision-tag-<tag>) fronts a revision's pods again: left out
    expect(monitor.spec.selector.matchExpressions).toEqual([{ key: 'istio.io/tag', operator: 'DoesNotExist' }]);
    expect(monitor.spec.namespaceSelector).toEqual({ matchNames: ['istio-system'] });
  });
});

describe('the upgrade runbook, each step a small edit of mesh.yaml', () => {
  const before = () => example((spec) => {
    spec.controlPlane.revisions = { versions: ['1.30.7'], tags: { 'prod-stable': '1.30.7' }, inactiveRevisionDeletionGracePeriodSeconds: 300 };
    spec.workloads.namespaces.payments.revisionTag = 'prod-stable';
  });

  test('1. add the revision: only the Istio (now at 1.31.3) and the new prod-canary tag change', () => {
    const start = buildValidated(before()).manifests;
    const added = buildValidated(example((spec) => { spec.workloads.namespaces.payments.revisionTag = 'prod-stable'; })).manifests;
    expect(changedObjects(start, added)).toEqual(['Istio//default', 'IstioRevisionTag//prod-canary']);
    expect(findOne(start, 'Istio').spec.version).toBe('v1.30.7');
  });

  test('2. move a namespace: only its Namespace label changes', () => {
    const added = buildValidated(example((spec) => { spec.workloads.namespaces.payments.revisionTag = 'prod-stable'; })).manifests;
    const moved = buildValidated(example()).manifests;
    expect(changedObjects(added, moved)).toEqual(['Namespace//payments']);
    expect(namespaceLabels(moved, 'payments')).toEqual({ 'istio.io/rev': 'prod-canary' });
  });

  test('3. move a tag: one line of mesh.yaml, and only the tag object changes (its targetRef name)', () => {
    // GIVEN
    const moved = buildValidated(example()).manifests;
    // WHEN
    const retagged = buildValidated(example((spec) => { spec.controlPlane.revisions.tags['prod-stable'] = '1.31.3'; })).manifests;
    // THEN
    expect(changedObjects(moved, retagged)).toEqual(['IstioRevisionTag//prod-stable']);
    expect(findOne(retagged, 'IstioRevisionTag', 'prod-stable').spec.targetRef).toEqual({ kind: 'IstioRevision', name: 'default-v1-31-3' });
  });

  test('4. remove the old revision: nothing rendered changes, Sail deletes default-v1-30-7 once nothing uses it', () => {
    const retagged = example((spec) => { spec.controlPlane.revisions.tags['prod-stable'] = '1.31.3'; });
    const removed = example((spec) => {
      spec.controlPlane.revisions.tags['prod-stable'] = '1.31.3';
      spec.controlPlane.revisions.versions = ['1.31.3'];
    });
    expect(changedObjects(buildValidated(retagged).manifests, buildValidated(removed).manifests)).toEqual([]);
    // and the old release can no longer be pointed at
    expect(problemsOf(example((spec) => { spec.controlPlane.revisions.versions = ['1.31.3']; }))).toEqual([{
      path: 'controlPlane.revisions.tags.prod-stable',
      message: expect.stringMatching(/^points at 1\.30\.7, which is not a running revision \(1\.31\.3\)/),
    }]);
  });
});

describe('controlPlane.revisions on the istioctl path: one IstioOperator file per revision, its tags in values.revisionTags', () => {
  const istioctl = (edit: (spec: any) => void = () => undefined) => example((spec) => { spec.controlPlane.installPath = 'istioctl'; edit(spec); });

  test('each revision is a file of its own with revision set; the tags render as the istiod chart\'s tag webhooks', () => {
    // GIVEN / WHEN
    const { mesh, istioctl: files, manifests } = buildValidated(istioctl());
    // THEN
    expect(mesh.istioctlApp?.charts.map((chart) => chart.node.id)).toEqual(['istio-operator-default-v1-30-7', 'istio-operator-default-v1-31-3']);
    expect(files.map((iop: any) => [iop.metadata.name, iop.spec.revision, iop.spec.values.revisionTags])).toEqual([
      ['control-plane-default-v1-30-7', 'default-v1-30-7', ['prod-stable']],
      ['control-plane-default-v1-31-3', 'default-v1-31-3', ['prod-canary']],
    ]);
    expect(manifests.filter((m) => m.kind === 'Istio' || m.kind === 'IstioRevisionTag')).toEqual([]);
    expect(namespaceLabels(manifests, 'payments')).toEqual({ 'istio.io/rev': 'prod-canary' });
  });

  test('the egress gateway selects a tag too, and only the newest revision\'s file installs it', () => {
    const { manifests, istioctl: files } = buildValidated(istioctl((spec) => { spec.controlPlane.egressGateway = { revisionTag: 'prod-canary' }; }));
    expect(namespaceLabels(manifests, 'istio-egress')).toEqual({ 'istio.io/rev': 'prod-canary' });
    expect(files.map((iop: any) => iop.spec.components.egressGateways?.map((g: any) => g.name))).toEqual([undefined, ['istio-egressgateway']]);
  });

  test('moving a tag changes only the revisionTags of the two files', () => {
    const before = buildValidated(istioctl());
    const after = buildValidated(istioctl((spec) => { spec.controlPlane.revisions.tags['prod-stable'] = '1.31.3'; }));
    expect(changedObjects(before.manifests, after.manifests)).toEqual([]);
    expect(changedObjects(before.istioctl, after.istioctl)).toEqual(['IstioOperator/istio-system/control-plane-default-v1-30-7', 'IstioOperator/istio-system/control-plane-default-v1-31-3']);
    expect(after.istioctl.map((iop: any) => iop.spec.values.revisionTags)).toEqual([undefined, ['prod-stable', 'prod-canary']]);
  });
});

test('controlPlane.revisions on the in-cluster operator path: an operator and an IstioOperator per revision, validated with the rest', () => {
  // GIVEN a 1.22 to 1.23 canary, where the in-cluster operator is the default path
  const spec = example((s) => {
    s.controlPlane.kubernetesVersion = '1.30';
    s.controlPlane.revisions = { versions: ['1.22.8', '1.23.6'], tags: { 'prod-stable': '1.22.8', 'prod-canary': '1.23.6' } };
  });
  // WHEN
  const { manifests } = buildValidated(spec);
  // THEN
  expect(manifests.filter((m) => m.kind === 'IstioOperator').map((iop: any) => [iop.spec.revision, iop.spec.values.revisionTags]))
    .toEqual([['default-v1-22-8', ['prod-stable']], ['default-v1-23-6', ['prod-canary']]]);
  expect(manifests.filter((m) => m.kind === 'Deployment' && m.metadata?.namespace === 'istio-operator').map((d) => d.metadata?.name))
    .toEqual(['istio-operator-default-v1-22-8', 'istio-operator-default-v1-23-6']);
});

describe('controlPlane.revisions refusals, at their key paths', () => {
  test.each([
    ['a namespace on a tag that does not exist', (s: any) => { s.workloads.namespaces.shop.revisionTag = 'prod-stabel'; },
      'workloads.namespaces.shop.revisionTag', /^'prod-stabel' is not a tag or revision of controlPlane\.revisions \(prod-stable, prod-canary, default-v1-30-7, default-v1-31-3\)/],
    ['a namespace with revisionTag and injection', (s: any) => { s.workloads.namespaces.shop.injection = 'enabled'; },
      'workloads.namespaces.shop.revisionTag', /istio\.io\/rev and istio-injection are never combined/],
    ['a namespace without a tag (and no tag named default)', (s: any) => { delete s.workloads.namespaces.shop.revisionTag; },
      'workloads.namespaces.shop.revisionTag', /^is required with controlPlane\.revisions/],
    ['two revisions of the same release', (s: any) => { s.controlPlane.revisions.versions = ['1.30.7', '1.31.3', '1.30.7']; },
      'controlPlane.revisions.versions[2]', /^is 1\.30\.7 again: two revisions would have the same name default-v1-30-7/],
    ['a tag pointing at a release that does not run', (s: any) => { s.controlPlane.revisions.tags['prod-canary'] = '1.31.2'; },
      'controlPlane.revisions.tags.prod-canary', /^points at 1\.31\.2, which is not a running revision \(1\.30\.7, 1\.31\.3\)/],
    ['a tag named like a revision', (s: any) => { s.controlPlane.revisions.tags['default-v1-31-3'] = '1.31.3'; },
      'controlPlane.revisions.tags.default-v1-31-3', /^is named like a revision/],
    ['a gateway on a tag that does not exist', (s: any) => { s.ingressGateway.revisionTag = 'prod'; },
      'ingressGateway.revisionTag', /^'prod' is not a tag or revision of controlPlane\.revisions/],
    ['a gateway without a tag', (s: any) => { delete s.ingressGateway.revisionTag; },
      'ingressGateway.revisionTag', /^is required with controlPlane\.revisions, so that the gateway changes revision only when this line does/],
    ['a canary that skips more than two minors', (s: any) => { s.controlPlane.revisions.versions = ['1.28.10', '1.31.3']; s.controlPlane.revisions.tags['prod-stable'] = '1.28.10'; },
      'controlPlane.revisions.versions', /^run 1\.28\.10 and 1\.31\.3, more than two minors apart, and Istio supports upgrades across at most two minors/],
    ['an older revision that does not support the cluster\'s Kubernetes', (s: any) => { s.controlPlane.kubernetesVersion = '1.36'; s.controlPlane.revisions.versions = ['1.29.10', '1.31.3']; s.controlPlane.revisions.tags['prod-stable'] = '1.29.10'; },
      'controlPlane.kubernetesVersion', /^Istio 1\.29 supports Kubernetes 1\.31 to 1\.35, got kubernetesVersion 1\.36/],
    ['revisions beside version', (s: any) => { s.controlPlane.version = '1.31.3'; },
      'controlPlane.version', /^is replaced by controlPlane\.revisions/],
    ['an egress gateway on a tag that does not exist', (s: any) => { s.controlPlane.installPath = 'istioctl'; s.controlPlane.egressGateway = { revisionTag: 'prod' }; },
      'controlPlane.egressGateway.revisionTag', /^'prod' is not a tag or revision of controlPlane\.revisions/],
    ['a revisionTag without revisions', (s: any) => { delete s.controlPlane.revisions; },
      'ingressGateway.revisionTag', /but there is no controlPlane\.revisions/],
  ])('%s', (_name, edit, keyPath, message) => {
    expect(problemsOf(example(edit))).toEqual(expect.arrayContaining([{ path: keyPath, message: expect.stringMatching(message) }]));
  });
});
