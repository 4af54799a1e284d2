import { Chart } from 'cdk8s';
import {
  CniPlatform,
  GatewayServiceType,
  IngressGateway,
  InstallPath,
  IstioControlPlane,
  IstioControlPlaneProps,
  IstioOperatorFile,
  IstioProfile,
  IstioVersion,
  Manifest,
  MeshRule,
  analyzeMesh,
} from '../../../lib';
import { findOne, fragmentApp, fragmentChart, synthValid } from '../../helpers/manifests';

describe('IstioOperatorFile', () => {
  test('the istioctl input lives in its own chart, apart from the applied objects', () => {
    // GIVEN
    const mesh = fragmentChart();
    const controlPlane = new IstioControlPlane(mesh, 'istio', {
      hub: 'example.com/istio',
      cni: { platform: CniPlatform.K3S },
      dnsProxy: { autoAllocateAddresses: false },
      pilot: { autoscaling: { minReplicas: 2, maxReplicas: 4 } },
      egressGateway: { serviceType: GatewayServiceType.CLUSTER_IP, k8s: { autoscaling: { minReplicas: 2, maxReplicas: 6 }, serviceAnnotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' } } },
    });
    const istioctl = fragmentChart();
    // WHEN
    new IstioOperatorFile(istioctl, 'install', { controlPlane });
    controlPlane.addMeshConfig({ enablePrometheusMerge: true }, 'prometheus');
    // THEN
    const file = synthValid(istioctl);
    expect(file).toMatchSnapshot();
    expect(file.map((m) => m.kind)).toEqual(['IstioOperator']);
    expect(synthValid(mesh).map((m) => m.kind)).not.toContain('IstioOperator');
    const iop = file[0] as any;
    // istioctl installs into spec.namespace; a metadata namespace would only suggest kubectl apply
    expect(iop.metadata).toEqual({ name: 'control-plane' });
    expect(iop.spec.namespace).toBe('istio-system');
    // contributions made after the file was declared still reach it
    expect(iop.spec.meshConfig.enablePrometheusMerge).toBe(true);
    expect(iop.spec.meshConfig.defaultConfig.proxyMetadata).toEqual({ ISTIO_META_DNS_CAPTURE: 'true' });
    expect(iop.spec.values.pilot.env).toEqual({ PILOT_ENABLE_IP_AUTOALLOCATE: 'false' });
    expect(iop.spec.components.pilot).toEqual({ k8s: { hpaSpec: { minReplicas: 2, maxReplicas: 4 } } });
    expect(iop.spec.components.egressGateways).toEqual([{
      name: 'istio-egressgateway',
      namespace: 'istio-egress',
      enabled: true,
      label: { istio: 'egressgateway' },
      k8s: {
        hpaSpec: { minReplicas: 2, maxReplicas: 6 },
        service: { type: 'ClusterIP' },
        serviceAnnotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' },
      },
    }]);
  });

  test("the profile's ingress gateway is switched off, without gateway values: the IngressGateway is the gateway", () => {
    // GIVEN
    const mesh = fragmentChart();
    const controlPlane = new IstioControlPlane(mesh, 'istio', { installPath: InstallPath.ISTIOCTL });
    const istioctl = fragmentChart();
    // WHEN
    new IstioOperatorFile(istioctl, 'install', { controlPlane });
    // THEN
    const iop = findOne(synthValid(istioctl), 'IstioOperator');
    expect(iop.spec.components.ingressGateways).toEqual([{ name: 'istio-ingressgateway', enabled: false }]);
    expect(iop.spec.values).toEqual({ global: { istioNamespace: 'istio-system' } });
  });
});

/** The install settings as each path spells them. */
function installSettings(props: IstioControlPlaneProps): Record<string, unknown> {
  const mesh = fragmentChart();
  const controlPlane = new IstioControlPlane(mesh, 'istio', props);
  const istioctl = fragmentChart();
  new IstioOperatorFile(istioctl, 'install', { controlPlane });
  const manifests: Manifest[] = synthValid(mesh);
  const file = findOne(synthValid(istioctl), 'IstioOperator');
  const settings: Record<string, unknown> = {
    istioctl: { hub: file.spec.hub, tag: file.spec.tag, profile: file.spec.profile, revision: file.spec.revision },
  };
  if (controlPlane.installPath === InstallPath.SAIL) {
    const istio = findOne(manifests, 'Istio');
    settings.sail = { hub: istio.spec.values?.global?.hub, tag: istio.spec.values?.global?.tag, profile: istio.spec.profile, revision: istio.metadata.name };
  } else {
    const iop = findOne(manifests, 'IstioOperator');
    const image = findOne(manifests, 'Deployment').spec.template.spec.containers[0].image;
    settings.inCluster = { hub: iop.spec.hub, tag: iop.spec.tag, profile: iop.spec.profile, revision: iop.spec.revision, image };
  }
  return settings;
}

describe('one model, three paths', () => {
  test('hub, tag, profile and revision reach Sail and the istioctl file', () => {
    expect(installSettings({ hub: 'mirror.example.com/istio', tag: '1.30.3-distroless', profile: IstioProfile.STABLE, revision: 'blue' })).toEqual({
      istioctl: { hub: 'mirror.example.com/istio', tag: '1.30.3-distroless', profile: 'stable', revision: 'blue' },
      sail: { hub: 'mirror.example.com/istio', tag: '1.30.3-distroless', profile: 'stable', revision: 'blue' },
    });
  });

  test('hub, tag, profile and revision reach the in-cluster operator and the istioctl file', () => {
    expect(installSettings({ version: IstioVersion.of('1.23.6'), hub: 'mirror.example.com/istio', tag: '1.23.6-distroless', profile: IstioProfile.DEMO, revision: 'green' })).toEqual({
      istioctl: { hub: 'mirror.example.com/istio', tag: '1.23.6-distroless', profile: 'demo', revision: 'green' },
      inCluster: { hub: 'mirror.example.com/istio', tag: '1.23.6-distroless', profile: 'demo', revision: 'green', image: 'mirror.example.com/istio/operator:1.23.6-distroless' },
    });
  });

  test('the defaults are the same on every path: the installer\'s own images (Sail\'s digest-pinned ones), no hub or tag written', () => {
    expect(installSettings({})).toEqual({
      istioctl: { hub: undefined, tag: undefined, profile: 'default', revision: undefined },
      sail: { hub: undefined, tag: undefined, profile: 'default', revision: 'default' },
    });
    expect(installSettings({ version: IstioVersion.of('1.23.6') })).toEqual({
      istioctl: { hub: undefined, tag: undefined, profile: 'default', revision: undefined },
      // the operator image is the release's, so its own default images are too
      inCluster: { hub: undefined, tag: undefined, profile: 'default', revision: undefined, image: 'docker.io/istio/operator:1.23.6' },
    });
  });
});

describe("the guide's control plane", () => {
  test('Sail in the applied charts, the istioctl file apart, the gateway owned by the IngressGateway alone', () => {
    // GIVEN
    const app = fragmentApp();
    const istioChart = new Chart(app, 'istio');
    // WHEN
    const controlPlane = new IstioControlPlane(istioChart, 'control-plane', {
      kubernetesVersion: '1.33',
      profile: IstioProfile.DEFAULT,
      hub: 'example.com/istio',
      cni: { platform: CniPlatform.DEFAULT },
      dnsProxy: {},
    });
    new IngressGateway(istioChart, 'ingress-gateway', { revision: controlPlane.revision });
    new IstioOperatorFile(new Chart(app, 'istioctl-install'), 'install', { controlPlane });
    // THEN
    const manifests = app.charts.map((chart) => synthValid(chart));
    expect(manifests[0].filter((m) => m.kind === 'Namespace').map((m) => m.metadata?.name)).toEqual(['istio-system', 'istio-cni', 'istio-ingress']);
    expect(manifests[0].map((m) => m.kind)).toEqual(expect.arrayContaining(['Istio', 'IstioCNI', 'Deployment']));
    expect(manifests[1].map((m) => m.kind)).toEqual(['IstioOperator']);
    expect(findOne(manifests[1], 'IstioOperator').spec.components.ingressGateways).toEqual([{ name: 'istio-ingressgateway', enabled: false }]);
    expect(findOne(manifests[1], 'IstioOperator').spec.values?.gateways).toBeUndefined();
    expect(analyzeMesh(manifests.flat()).filter((finding) => finding.rule === MeshRule.INSTALLED_OBJECT)).toEqual([]);
  });
});
