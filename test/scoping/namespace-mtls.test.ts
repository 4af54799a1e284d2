import { MeshMtls, MtlsMode, NamespaceMtls, SidecarScoping } from '../../lib';
import { findOne, fragmentChart, synthValid } from '../helpers/manifests';

describe('NamespaceMtls', () => {
  test('is STRICT by default, in the namespace it is given', () => {
    // GIVEN
    const chart = fragmentChart();
    const scoping = new SidecarScoping(chart, 'scoping');
    const shop = scoping.addNamespace('shop', { name: 'shop' });
    // WHEN
    const mtls = new NamespaceMtls(shop, 'Mtls', { namespace: shop });
    // THEN
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    const policy = findOne(manifests, 'PeerAuthentication');
    expect(policy.apiVersion).toBe('security.istio.io/v1');
    expect(policy.metadata).toEqual({ name: 'default', namespace: 'shop' });
    expect(policy.spec).toEqual({ mtls: { mode: 'STRICT' } });
    expect(mtls.mode).toBe(MtlsMode.STRICT);
  });

  test('overrides the mesh-wide mode in one namespace', () => {
    // GIVEN
    const chart = fragmentChart();
    const scoping = new SidecarScoping(chart, 'scoping');
    const legacy = scoping.addNamespace('legacy', { name: 'legacy' });
    new MeshMtls(chart, 'mesh-mtls', { rootNamespace: scoping.rootNamespace });
    // WHEN
    new NamespaceMtls(legacy, 'Mtls', { namespace: legacy, mode: MtlsMode.PERMISSIVE });
    // THEN
    const policies = synthValid(chart).filter((m) => m.kind === 'PeerAuthentication');
    expect(policies.map((p: any) => [p.metadata.namespace, p.spec.mtls.mode])).toEqual([
      ['legacy', 'PERMISSIVE'],
      ['istio-system', 'STRICT'],
    ]);
  });
});
