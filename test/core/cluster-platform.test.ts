import { Testing } from 'cdk8s';
import { ClusterPlatform, CniPlatform, IngressGateway, InstallPath, IstioControlPlane, IstioProfile, JaegerV2, Kiali, PrometheusServer } from '../../lib';
import { backends } from '../kiali/fixtures';
import { findOne, fragmentChart, synthValid } from '../helpers/manifests';

const ID_FIELDS = ['runAsUser', 'runAsGroup', 'fsGroup'];

/** The pod- and container-level securityContexts of every pod template and Prometheus CR. */
function securityContexts(manifests: any[]): Array<{ object: string; context: Record<string, unknown> }> {
  return manifests.flatMap((m) => {
    const pod = m.kind === 'Prometheus' ? m.spec : m.spec?.template?.spec;
    if (!pod) {
      return [];
    }
    const object = `${m.kind}/${m.metadata.name}`;
    return [
      ...pod.securityContext ? [{ object, context: pod.securityContext }] : [],
      ...(pod.containers ?? []).filter((c: any) => c.securityContext).map((c: any) => ({ object: `${object}/${c.name}`, context: c.securityContext })),
    ];
  });
}

/** The gateway, Jaeger v2, Kiali and the Prometheus CR in one chart of an app on `platform`. */
function renderPodParts(platform?: ClusterPlatform): any[] {
  const chart = fragmentChart();
  if (platform) {
    ClusterPlatform.use(chart, platform);
  }
  new IngressGateway(chart, 'gateway');
  new JaegerV2(chart, 'jaeger');
  new PrometheusServer(chart, 'prometheus');
  new Kiali(chart, 'kiali', { prometheus: backends().prometheus });
  return synthValid(chart);
}

describe('ClusterPlatform', () => {
  test('on OpenShift no part asks for a user, group or fsGroup id, and each still runs as non-root', () => {
    // GIVEN / WHEN
    const contexts = securityContexts(renderPodParts(ClusterPlatform.OPENSHIFT));
    // THEN
    expect(contexts.map((c) => c.object)).toEqual(expect.arrayContaining([
      'Deployment/istio-ingressgateway/istio-proxy', 'Deployment/jaeger', 'Prometheus/prometheus', 'Deployment/kiali',
    ]));
    for (const { object, context } of contexts) {
      expect({ object, ids: ID_FIELDS.filter((field) => field in context) }).toEqual({ object, ids: [] });
    }
    // the Prometheus CR keeps a securityContext: without one the operator fills in 1000/2000
    expect(contexts.find((c) => c.object === 'Prometheus/prometheus')?.context).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
  });

  test('elsewhere the fixed ids stay (the proxy\'s 1337, Jaeger\'s 10001, Prometheus\' 1000/2000, Kiali\'s 1000)', () => {
    const contexts = Object.fromEntries(securityContexts(renderPodParts()).map((c) => [c.object, c.context]));
    expect(contexts['Deployment/istio-ingressgateway/istio-proxy']).toMatchObject({ runAsUser: 1337, runAsGroup: 1337 });
    expect(contexts['Deployment/jaeger']).toMatchObject({ runAsUser: 10001, fsGroup: 10001 });
    expect(contexts['Prometheus/prometheus']).toMatchObject({ runAsUser: 1000, runAsGroup: 2000, fsGroup: 2000 });
    expect(contexts['Deployment/kiali']).toMatchObject({ runAsUser: 1000, runAsGroup: 1000 });
  });

  test('set after a part was rendered for another platform is an error naming the part', () => {
    const chart = Testing.chart();
    new JaegerV2(chart, 'jaeger');
    expect(() => ClusterPlatform.use(chart, ClusterPlatform.OPENSHIFT))
      .toThrow(/ClusterPlatform.use\(openshift\) comes after .*jaeger.* was rendered for kubernetes: set the platform before creating any part/);
  });

  test('OpenShift turns CNI on with its Multus preset; an OpenShift profile needs the platform', () => {
    // GIVEN
    const chart = Testing.chart();
    ClusterPlatform.use(chart, ClusterPlatform.OPENSHIFT);
    // WHEN
    new IstioControlPlane(chart, 'istio');
    // THEN
    expect(findOne(synthValid(chart), 'IstioCNI').spec.values.cni).toMatchObject({ provider: 'multus', chained: false });
    expect(() => new IstioControlPlane(Testing.chart(), 'istio', { installPath: InstallPath.ISTIOCTL, profile: IstioProfile.OPENSHIFT }))
      .toThrow(/profile openshift is for OpenShift, but the app's platform is kubernetes: call ClusterPlatform.use\(app, ClusterPlatform.OPENSHIFT\)/);
  });

  test('a CNI preset of another platform is refused; custom directories are not', () => {
    const chart = () => {
      const c = Testing.chart();
      ClusterPlatform.use(c, ClusterPlatform.K3S);
      return c;
    };
    expect(() => new IstioControlPlane(chart(), 'istio', { cni: { platform: CniPlatform.GKE } }))
      .toThrow(/cni.platform is gke, but the app's platform is k3s/);
    expect(findOne(synthValid((() => {
      const c = chart();
      new IstioControlPlane(c, 'istio', { cni: {} });
      return c;
    })()), 'IstioCNI').spec.values.cni.cniBinDir).toBe('/var/lib/rancher/k3s/data/cni');
    expect(() => new IstioControlPlane(chart(), 'istio', { cni: { platform: CniPlatform.custom({ binDir: '/opt/k3s/bin' }) } })).not.toThrow();
  });
});
