import { Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import * as yaml from 'js-yaml';
import { DnsProxy, PROXY_CONFIG_ANNOTATION } from '../../lib';
import { synthValid } from '../helpers/manifests';

describe('DnsProxy', () => {
  test('mesh-wide: both settings on by default, as strings', () => {
    expect(DnsProxy.meshConfig()).toEqual({
      defaultConfig: { proxyMetadata: { ISTIO_META_DNS_CAPTURE: 'true', ISTIO_META_DNS_AUTO_ALLOCATE: 'true' } },
    });
  });

  test('mesh-wide: booleans become "false"', () => {
    expect(DnsProxy.meshConfig({ autoAllocateAddresses: false }).defaultConfig?.proxyMetadata)
      .toEqual({ ISTIO_META_DNS_CAPTURE: 'true', ISTIO_META_DNS_AUTO_ALLOCATE: 'false' });
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
