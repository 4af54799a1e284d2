import { Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import * as yaml from 'js-yaml';
import { DnsProxy, InstallPath, IstioControlPlane, IstioOperatorFile, IstioVersion, PROXY_CONFIG_ANNOTATION } from '../../lib';
import { findOne, synthValid } from '../helpers/manifests';

describe('DnsProxy', () => {
  test('mesh-wide before Istio 1.25: both settings in the proxy metadata, as strings', () => {
    const istio124 = IstioVersion.of('1.24.6');
    expect(DnsProxy.meshConfig({}, istio124)).toEqual({
      defaultConfig: { proxyMetadata: { ISTIO_META_DNS_CAPTURE: 'true', ISTIO_META_DNS_AUTO_ALLOCATE: 'true' } },
    });
    expect(DnsProxy.meshConfig({ autoAllocateAddresses: false }, istio124).defaultConfig?.proxyMetadata)
      .toEqual({ ISTIO_META_DNS_CAPTURE: 'true', ISTIO_META_DNS_AUTO_ALLOCATE: 'false' });
    expect(DnsProxy.istiodEnv({ autoAllocateAddresses: false }, istio124)).toBeUndefined();
  });

  test('mesh-wide from Istio 1.25: allocation is istiod\'s PILOT_ENABLE_IP_AUTOALLOCATE, the proxy only captures DNS', () => {
    const istio125 = IstioVersion.of('1.25.5');
    expect(DnsProxy.meshConfig({ autoAllocateAddresses: false }, istio125)).toEqual({
      defaultConfig: { proxyMetadata: { ISTIO_META_DNS_CAPTURE: 'true' } },
    });
    expect(DnsProxy.istiodEnv({ autoAllocateAddresses: false }, istio125)).toEqual({ PILOT_ENABLE_IP_AUTOALLOCATE: 'false' });
    // written when on too: compatibilityVersion 1.24 turns istiod's allocation off
    expect(DnsProxy.istiodEnv({}, istio125)).toEqual({ PILOT_ENABLE_IP_AUTOALLOCATE: 'true' });
  });

  test.each([
    ['1.30.3', InstallPath.SAIL],
    ['1.30.3', InstallPath.ISTIOCTL],
  ])('autoAllocateAddresses: false with Istio %s (%s) turns istiod\'s allocation off', (version, installPath) => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    const controlPlane = new IstioControlPlane(chart, 'istio', { version: IstioVersion.of(version), installPath, dnsProxy: { autoAllocateAddresses: false } });
    const file = Testing.chart();
    new IstioOperatorFile(file, 'install', { controlPlane });
    // THEN
    const values = installPath === InstallPath.SAIL ? findOne(synthValid(chart), 'Istio').spec.values : findOne(synthValid(file), 'IstioOperator').spec.values;
    expect(values.pilot.env).toEqual({ PILOT_ENABLE_IP_AUTOALLOCATE: 'false' });
    expect(values.meshConfig?.defaultConfig?.proxyMetadata ?? findOne(synthValid(file), 'IstioOperator').spec.meshConfig.defaultConfig.proxyMetadata)
      .toEqual({ ISTIO_META_DNS_CAPTURE: 'true' });
  });

  test('the in-cluster operator (Istio 1.23) keeps the sidecar\'s ISTIO_META_DNS_AUTO_ALLOCATE', () => {
    const chart = Testing.chart();
    new IstioControlPlane(chart, 'istio', { version: IstioVersion.of('1.23.6'), dnsProxy: { autoAllocateAddresses: false } });
    const iop = findOne(synthValid(chart), 'IstioOperator');
    expect(iop.spec.meshConfig.defaultConfig.proxyMetadata).toEqual({ ISTIO_META_DNS_CAPTURE: 'true', ISTIO_META_DNS_AUTO_ALLOCATE: 'false' });
    expect(iop.spec.values?.pilot?.env).toBeUndefined();
  });

  test('a values.pilot.env that says otherwise is a conflict naming both', () => {
    expect(() => new IstioControlPlane(Testing.chart(), 'istio', {
      values: { pilot: { env: { PILOT_ENABLE_IP_AUTOALLOCATE: 'true' } } },
      dnsProxy: { autoAllocateAddresses: false },
    })).toThrow(/values.pilot.env.PILOT_ENABLE_IP_AUTOALLOCATE is set twice.*props.values.*dnsProxy.autoAllocateAddresses/);
  });

  test('per workload: a ProxyConfig document in the proxy.istio.io/config annotation', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new k8s.KubeDeployment(chart, 'app', {
      metadata: { name: 'legacy', namespace: 'shop' },
      spec: {
        selector: { matchLabels: { app: 'legacy' } },
        template: {
          metadata: { labels: { app: 'legacy' }, annotations: DnsProxy.podAnnotations({ captureDns: false }) },
          spec: { containers: [{ name: 'app', image: 'example.com/legacy:1' }] },
        },
      },
    });
    // THEN
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    const annotation = (manifests[0] as any).spec.template.metadata.annotations[PROXY_CONFIG_ANNOTATION];
    expect(yaml.load(annotation)).toEqual({ proxyMetadata: { ISTIO_META_DNS_CAPTURE: 'false' } });
  });

  test('per workload: an override without settings is refused', () => {
    expect(() => DnsProxy.podAnnotations({})).toThrow(/needs captureDns or autoAllocateAddresses/);
  });

  test('auto-allocation without DNS capture is refused', () => {
    expect(() => DnsProxy.meshConfig({ captureDns: false })).toThrow('dnsProxy: autoAllocateAddresses needs captureDns (the allocated addresses are only handed out by the DNS proxy), got captureDns false');
    expect(() => DnsProxy.podAnnotations({ captureDns: false, autoAllocateAddresses: true })).toThrow(/DnsProxy.podAnnotations: autoAllocateAddresses needs captureDns/);
  });
});
