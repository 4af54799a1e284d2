import { MeshMtls, MtlsMode, SidecarScoping } from '../../lib';
import { findOne, fragmentChart, synthValid } from '../helpers/manifests';

describe('MeshMtls', () => {
  test('is STRICT by default, mesh-wide in the root namespace', () => {
    // GIVEN
    const chart = fragmentChart();
    // WHEN
    const mtls = new MeshMtls(chart, 'mtls');
    // THEN
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    const policy = findOne(manifests, 'PeerAuthentication');
    expect(policy.apiVersion).toBe('security.istio.io/v1');
    expect(policy.metadata).toEqual({ name: 'default', namespace: 'istio-system' });
    expect(policy.spec).toEqual({ mtls: { mode: 'STRICT' } });
    expect(mtls.mode).toBe(MtlsMode.STRICT);
  });

  test.each([MtlsMode.PERMISSIVE, MtlsMode.DISABLE])('mode %s', (mode) => {
    // GIVEN
    const chart = fragmentChart();
    // WHEN
    new MeshMtls(chart, 'mtls', { mode });
    // THEN
    expect(findOne(synthValid(chart), 'PeerAuthentication').spec.mtls.mode).toBe(mode);
  });

  test('follows the root namespace of the scoping', () => {
    // GIVEN
    const chart = fragmentChart();
    const scoping = new SidecarScoping(chart, 'scoping', { rootNamespace: 'mesh-root' });
    // WHEN
    new MeshMtls(chart, 'mtls', { rootNamespace: scoping.rootNamespace });
    // THEN
    expect(findOne(synthValid(chart), 'PeerAuthentication').metadata.namespace).toBe('mesh-root');
  });
});
