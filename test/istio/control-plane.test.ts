import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import {
  GatewayServiceType,
  InstallPath,
  MeshWarningCode,
  MeshWarnings,
  IstioControlPlane,
  IstioProfile,
  IngressGateway,
  IstioOperatorFile,
  IstioVersion,
  Manifest,
  MeshNamespace,
  MeshTracing,
  MeshTracingBindOptions,
  MeshTracingConfig,
  SidecarInjection,
  TracingMode,
  validateManifests,
} from '../../lib';
import { Istio, IstioSpecVersion } from '../../imports/sail-istio-sailoperator.io';
import { findOne, fragmentApp, fragmentChart, synthValid } from '../helpers/manifests';
import { backends } from '../kiali/fixtures';

/** A tracing setup that reports what it was bound with and contributes a Zipkin provider. */
class RecordingTracing extends MeshTracing {
  public readonly bindings: MeshTracingBindOptions[] = [];

  public bind(_scope: Construct, options: MeshTracingBindOptions): MeshTracingConfig {
    this.bindings.push(options);
    return {
      meshConfig: {
        extensionProviders: [{ name: 'test-zipkin', zipkin: { service: 'collector.tracing.svc.cluster.local', port: 9411 } }],
        defaultProviders: { tracing: ['test-zipkin'] },
      },
    };
  }
}

describe('IstioControlPlane, default (Sail, Istio 1.30.3)', () => {
  test('renders the namespaces and a Sail Istio', () => {
    // GIVEN
    const chart = fragmentChart();
    // WHEN
    const controlPlane = new IstioControlPlane(chart, 'istio');
    // THEN
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    expect(controlPlane.installPath).toBe(InstallPath.SAIL);
    const istio = findOne(manifests, 'Istio');
    expect(istio.apiVersion).toBe('sailoperator.io/v1');
    expect(istio.metadata).toEqual({ name: 'default' });
    expect(istio.spec).toMatchObject({ namespace: 'istio-system', version: 'v1.30.3', profile: 'default' });
    // Sail pins its images by digest unless global.hub or global.tag is set
    expect(istio.spec.values.global).toEqual({ istioNamespace: 'istio-system' });
    expect(istio.spec.values.cni).toBeUndefined();
    expect(istio.spec.values.gateways).toBeUndefined();
    expect(manifests.filter((m) => m.kind === 'IstioCNI')).toHaveLength(0);
    expect(manifests.filter((m) => m.kind === 'Namespace').map((m) => m.metadata?.name)).toEqual(['istio-system']);
  });

  test('exposes what other constructs need', () => {
    const chart = fragmentChart();
    const controlPlane = new IstioControlPlane(chart, 'istio', { revision: 'canary', meshConfig: { rootNamespace: 'mesh-root' } });
    expect(controlPlane.namespace).toBe('istio-system');
    expect(controlPlane.revision).toBe('canary');
    expect(controlPlane.istioVersion.toString()).toBe('1.30.3');
    expect(controlPlane.hub).toBe('docker.io/istio');
    expect(controlPlane.tag).toBe('1.30.3');
    expect(controlPlane.rootNamespace).toBe('mesh-root');
    expect(controlPlane.controlPlaneNamespace.name).toBe('istio-system');
  });
});

describe('meshConfig contributions', () => {
  test('DNS proxy, tracing and later contributions merge into one meshConfig', () => {
    // GIVEN
    const chart = fragmentChart();
    const tracing = new RecordingTracing();
    // WHEN
    const controlPlane = new IstioControlPlane(chart, 'istio', {
      meshConfig: { accessLogFile: '/dev/stdout' },
      dnsProxy: {},
      tracing,
    });
    controlPlane.addMeshConfig({ enablePrometheusMerge: true }, 'prometheus');
    // THEN
    const meshConfig = findOne(synthValid(chart), 'Istio').spec.values.meshConfig;
    expect(meshConfig).toEqual({
      accessLogFile: '/dev/stdout',
      defaultConfig: { proxyMetadata: { ISTIO_META_DNS_CAPTURE: 'true' } },
      defaultProviders: { tracing: ['test-zipkin'] },
      enablePrometheusMerge: true,
      extensionProviders: [{ name: 'test-zipkin', zipkin: { service: 'collector.tracing.svc.cluster.local', port: 9411 } }],
    });
  });

  test('tracing is bound once, with the Istio version and root namespace', () => {
    const tracing = new RecordingTracing();
    new IstioControlPlane(fragmentChart(), 'istio', { tracing, namespace: 'mesh-system' });
    expect(tracing.bindings).toHaveLength(1);
    expect(tracing.bindings[0].istioVersion.toString()).toBe('1.30.3');
    expect(tracing.bindings[0].rootNamespace).toBe('mesh-system');
  });

  test('a value set twice differently names the key and both parties', () => {
    // GIVEN
    const controlPlane = new IstioControlPlane(fragmentChart(), 'istio', { meshConfig: { enablePrometheusMerge: false } });
    // WHEN / THEN
    expect(() => controlPlane.addMeshConfig({ enablePrometheusMerge: true }, 'prometheus'))
      .toThrow('meshConfig.enablePrometheusMerge is set twice to different values: false by props.meshConfig and true by prometheus; set it in one place only');
  });

  test('values.meshConfig and meshConfig are one meshConfig', () => {
    expect(() => new IstioControlPlane(fragmentChart(), 'istio', {
      values: { meshConfig: { accessLogFile: '/dev/stdout' } },
      meshConfig: { accessLogFile: '/tmp/log' },
    })).toThrow(/meshConfig.accessLogFile is set twice.*props.values.meshConfig.*props.meshConfig/);
  });

  test('the root namespace cannot be moved after creation', () => {
    const controlPlane = new IstioControlPlane(fragmentChart(), 'istio');
    expect(() => controlPlane.addMeshConfig({ rootNamespace: 'elsewhere' }, 'telemetry'))
      .toThrow(/meshConfig.rootNamespace is istio-system, telemetry sets it to elsewhere/);
  });
});

describe('revision and hub', () => {
  test('a revision names the Sail Istio', () => {
    // GIVEN
    const chart = fragmentChart();
    // WHEN
    new IstioControlPlane(chart, 'istio', { revision: '1-30-3' });
    // THEN
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    expect(findOne(manifests, 'Istio').metadata.name).toBe('1-30-3');
  });

  test('a registry mirror reaches the Sail values', () => {
    const chart = fragmentChart();
    new IstioControlPlane(chart, 'istio', { hub: 'example.com/istio', tag: '1.30.3-distroless' });
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    expect(findOne(manifests, 'Istio').spec.values.global).toEqual({ hub: 'example.com/istio', tag: '1.30.3-distroless', istioNamespace: 'istio-system' });
  });

  test.each<[string, { hub?: string; tag?: string }, { hub?: string; tag?: string } | undefined]>([
    ['neither', {}, undefined],
    ['the default hub, written because chosen', { hub: 'docker.io/istio' }, { hub: 'docker.io/istio' }],
    ['only a tag', { tag: '1.30.3-distroless' }, { tag: '1.30.3-distroless' }],
  ])('Sail and its IstioCNI get global.hub/tag only as chosen (%s), so Sail keeps its image digests otherwise', (_name, images, expected) => {
    // GIVEN
    const chart = fragmentChart();
    // WHEN
    const controlPlane = new IstioControlPlane(chart, 'istio', { ...images, cni: {} });
    // THEN
    const manifests = synthValid(chart);
    expect(findOne(manifests, 'Istio').spec.values.global).toEqual({ ...expected, istioNamespace: 'istio-system' });
    expect(findOne(manifests, 'IstioCNI').spec.values?.global).toEqual(expected);
    // the effective images stay known to the library
    expect(controlPlane.hub).toBe(images.hub ?? 'docker.io/istio');
    expect(controlPlane.tag).toBe(images.tag ?? '1.30.3');
  });

  test.each([
    ['https://example.com/istio'],
    ['example.com/istio/'],
    ['Example.com/istio'],
    ['example.com/istio:1.30'],
  ])('a bad hub %s is refused', (hub) => {
    expect(() => new IstioControlPlane(fragmentChart(), 'istio', { hub })).toThrow(new RegExp(`hub must be an image registry path .*got '${hub.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}'`));
  });

  test('a bad tag is refused', () => {
    expect(() => new IstioControlPlane(fragmentChart(), 'istio', { tag: 'v1 30' })).toThrow(/tag must be an image tag.*got 'v1 30'/);
  });

  test('hub, tag, revision and profile are not taken from values', () => {
    expect(() => new IstioControlPlane(fragmentChart(), 'istio', { values: { global: { hub: 'example.com/istio' } } }))
      .toThrow("values.global.hub is set to 'example.com/istio': set it with the hub prop instead, so that every install path gets it");
    expect(() => new IstioControlPlane(fragmentChart(), 'istio', { values: { revision: 'canary' } })).toThrow(/values.revision .*revision prop/);
  });
});

describe('namespaces', () => {
  test('a bad namespace is refused with the field name', () => {
    expect(() => new IstioControlPlane(fragmentChart(), 'istio', { namespace: 'Istio_System' })).toThrow(/namespace must be a DNS-1123 label.*got 'Istio_System'/);
    expect(() => new IstioControlPlane(fragmentChart(), 'istio', { namespace: 'kube-system' })).toThrow(/namespace must be a namespace of its own .*got 'kube-system'/);
    expect(() => new IstioControlPlane(fragmentChart(), 'istio', { revision: 'Canary' })).toThrow(/revision must be a DNS-1123 label.*got 'Canary'/);
  });

  test('an egress gateway namespace with injection disabled is refused', () => {
    expect(() => new IstioControlPlane(fragmentChart(), 'istio', { egressGateway: { injection: SidecarInjection.disabled() } }))
      .toThrow(/egressGateway.injection: the gateway namespace istio-egress must not be labelled istio-injection=disabled/);
  });

  test('a gateway sharing a namespace emits it once', () => {
    const chart = fragmentChart();
    const controlPlane = new IstioControlPlane(chart, 'istio', { egressGateway: { namespace: 'gateways' } });
    new IngressGateway(chart, 'ingress', { namespace: new MeshNamespace(chart, 'gateways', { name: 'gateways', injection: SidecarInjection.enabled() }) });
    const namespaces = synthValid(chart).filter((m) => m.kind === 'Namespace').map((m) => m.metadata?.name);
    expect(namespaces).toEqual(['istio-system', 'gateways']);
    expect(controlPlane.egressGatewayNamespace?.name).toBe('gateways');
  });

  test('the control plane emits no ingress gateway namespace: the IngressGateway owns its own', () => {
    const chart = fragmentChart();
    new IstioControlPlane(chart, 'istio');
    expect(synthValid(chart).filter((m) => m.kind === 'Namespace').map((m) => m.metadata?.name)).toEqual(['istio-system']);
  });
});

describe('version and install path checks', () => {
  test('a supported Kubernetes version passes', () => {
    expect(() => new IstioControlPlane(fragmentChart(), 'istio', { kubernetesVersion: '1.33' })).not.toThrow();
  });

  test('an unsupported Kubernetes version is refused at construction', () => {
    expect(() => new IstioControlPlane(fragmentChart(), 'istio', { kubernetesVersion: '1.31' }))
      .toThrow(/Istio 1.30 supports Kubernetes 1.32 to 1.36, got kubernetesVersion 1.31: pick an Istio release that supports it \(1.29, /);
  });

  test('Istio 1.23 defaults to the in-cluster operator, 1.24 and later to Sail', () => {
    expect(new IstioControlPlane(fragmentChart(), 'a', { version: IstioVersion.of('1.23.6') }).installPath).toBe(InstallPath.IN_CLUSTER_OPERATOR);
    expect(new IstioControlPlane(fragmentChart(), 'b', { version: IstioVersion.of('1.24.6') }).installPath).toBe(InstallPath.SAIL);
  });

  test('the in-cluster operator with Istio 1.24+ names the alternatives', () => {
    expect(() => new IstioControlPlane(fragmentChart(), 'istio', { version: IstioVersion.of('1.24.6'), installPath: InstallPath.IN_CLUSTER_OPERATOR }))
      .toThrow('installPath IN_CLUSTER_OPERATOR needs Istio 1.23 or earlier (Istio 1.24 removed the in-cluster operator), got version 1.24.6: use InstallPath.SAIL (the Sail operator), or InstallPath.ISTIOCTL with an IstioOperatorFile for istioctl install -f');
  });

  test('an unknown Istio release is refused', () => {
    expect(() => new IstioControlPlane(fragmentChart(), 'istio', { version: IstioVersion.of('1.19.10') })).toThrow(/Istio 1.19 is not a release this library knows/);
  });

  test('a version without patch is refused', () => {
    expect(() => new IstioControlPlane(fragmentChart(), 'istio', { version: IstioVersion.of('1.30') })).toThrow(/version must name a patch release such as 1.30.3 .*got 1.30$/);
  });

  test('a patch newer than the Sail releases list: the minor\'s -latest alias, valid against the CRD, and a warning naming the newest known patch', () => {
    // GIVEN
    const chart = fragmentChart();
    // WHEN
    new IstioControlPlane(chart, 'istio', { version: IstioVersion.of('1.30.8'), cni: {} });
    // THEN
    const manifests = synthValid(chart);
    expect(findOne(manifests, 'Istio').spec.version).toBe('v1.30-latest');
    expect(findOne(manifests, 'IstioCNI').spec.version).toBe('v1.30-latest');
    const warnings = MeshWarnings.of(chart).all.filter((w) => w.code === MeshWarningCode.ISTIO_PATCH_NEWER_THAN_KNOWN);
    expect(warnings).toHaveLength(1);
    expect(warnings[0].message).toMatch(/^Istio 1.30.8 is newer than the newest patch this library knows, 1.30.7: the Sail Istio gets version v1.30-latest/);
    expect(warnings[0].fix).toMatch(/install a Sail operator release that ships v1.30.8/);
  });

  test('Istio 1.31.3, which only the Sail 1.31.2 CRDs list: written as v1.31.3, valid against the imported schema with the known Sail versions, and a warning naming the operator release', () => {
    // GIVEN
    const chart = fragmentChart();
    // WHEN
    new IstioControlPlane(chart, 'istio', { version: IstioVersion.of('1.31.3'), kubernetesVersion: '1.36', cni: {} });
    // THEN
    const manifests = synthValid(chart);
    expect(findOne(manifests, 'Istio').spec.version).toBe('v1.31.3');
    expect(findOne(manifests, 'IstioCNI').spec.version).toBe('v1.31.3');
    const warnings = MeshWarnings.of(chart).all.filter((w) => w.code === MeshWarningCode.SAIL_OPERATOR_RELEASE_NEEDED);
    expect(warnings).toHaveLength(1);
    expect(warnings[0].message).toMatch(/v1.31.3, which the CRDs of Sail operator 1.31.2 list but those of 1.30.3 \(the ones this library imports\) do not/);
    expect(MeshWarnings.of(chart).all.map((w) => w.code)).not.toContain(MeshWarningCode.ISTIO_PATCH_NEWER_THAN_KNOWN);
  });

  test.each([
    ['1.30.7', 'v1.30.7'],
    ['1.29.10', 'v1.29.10'],
    ['1.31.0', 'v1.31.0'],
  ])('the patches Sail 1.31.2 added are written as they are: %s', (version, sail) => {
    const chart = fragmentChart();
    new IstioControlPlane(chart, 'istio', { version: IstioVersion.of(version) });
    expect(findOne(synthValid(chart), 'Istio').spec.version).toBe(sail);
  });

  test('a 1.31 patch newer than Sail 1.31.2 offers gets v1.31-latest and the newer-patch warning', () => {
    const chart = fragmentChart();
    new IstioControlPlane(chart, 'istio', { version: IstioVersion.of('1.31.4') });
    expect(findOne(synthValid(chart), 'Istio').spec.version).toBe('v1.31-latest');
    const warning = MeshWarnings.of(chart).all.find((w) => w.code === MeshWarningCode.ISTIO_PATCH_NEWER_THAN_KNOWN);
    expect(warning?.message).toMatch(/^Istio 1.31.4 is newer than the newest patch this library knows, 1.31.3/);
  });

  test('the schema check of a Sail Istio still refuses a version no known Sail release lists', () => {
    // GIVEN: an Istio written by hand, past the library's version handling
    const chart = fragmentChart();
    new Istio(chart, 'hand-written', { metadata: { name: 'default' }, spec: { namespace: 'istio-system', version: 'v1.31.9' as IstioSpecVersion } });
    // WHEN
    const violations = validateManifests(Testing.synth(chart) as Manifest[]);
    // THEN
    expect(violations).toEqual([expect.objectContaining({ path: 'spec.version', message: expect.stringMatching(/^must be one of \["v1.31-latest","v1.31.3",.*"v1.21.6"\]$/) })]);
  });

  test('on istioctl a newer patch keeps its own version, with the warning', () => {
    const chart = fragmentChart();
    const controlPlane = new IstioControlPlane(chart, 'istio', { version: IstioVersion.of('1.30.8'), installPath: InstallPath.ISTIOCTL });
    expect(controlPlane.tag).toBe('1.30.8');
    expect(MeshWarnings.of(chart).all.map((w) => w.code)).toContain(MeshWarningCode.ISTIO_PATCH_NEWER_THAN_KNOWN);
  });

  test('a patch the Sail CRDs skip (older than their newest) is refused for Sail only, naming the listed patches', () => {
    expect(() => new IstioControlPlane(fragmentChart(), 'istio', { version: IstioVersion.of('1.25.0') }))
      .toThrow(/version 1.25.0 is not a release the Sail operator knows: pick one of its listed patches \(1.25.5, .*1.25.1\) or a newer one/);
    expect(() => new IstioControlPlane(fragmentChart(), 'istio', { version: IstioVersion.of('1.25.0'), installPath: InstallPath.ISTIOCTL })).not.toThrow();
  });

  test('profiles Sail lacks are refused', () => {
    expect(() => new IstioControlPlane(fragmentChart(), 'istio', { profile: IstioProfile.MINIMAL }))
      .toThrow(/profile minimal does not exist for the Sail operator/);
  });

  test('ISTIOCTL leaves only the namespaces in the cluster', () => {
    const chart = fragmentChart();
    const controlPlane = new IstioControlPlane(chart, 'istio', { installPath: InstallPath.ISTIOCTL });
    expect(controlPlane.resource).toBeUndefined();
    expect(synthValid(chart).map((m) => m.kind)).toEqual(['Namespace']);
  });
});

describe('components', () => {
  test('istiod and gateway settings', () => {
    // GIVEN
    const chart = fragmentChart();
    // WHEN
    new IstioControlPlane(chart, 'istio', {
      pilot: {
        resources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { memory: '4Gi' } },
        autoscaling: { minReplicas: 2, maxReplicas: 5 },
        nodeSelector: { 'node-role': 'infra' },
      },
      egressGateway: { serviceType: GatewayServiceType.NODE_PORT, k8s: { replicaCount: 3 } },
    });
    // THEN
    const manifests = synthValid(chart);
    expect(manifests).toMatchSnapshot();
    expect(findOne(manifests, 'Istio').spec.values.pilot).toEqual({
      autoscaleEnabled: true,
      autoscaleMin: 2,
      autoscaleMax: 5,
      nodeSelector: { 'node-role': 'infra' },
      resources: { requests: { cpu: '500m', memory: '2Gi' }, limits: { memory: '4Gi' } },
    });
  });

  test('a fixed istiod replica count turns the chart autoscaler off', () => {
    const chart = fragmentChart();
    new IstioControlPlane(chart, 'istio', { pilot: { replicaCount: 2 } });
    expect(findOne(synthValid(chart), 'Istio').spec.values.pilot).toEqual({ replicaCount: 2, autoscaleEnabled: false });
  });

  test.each([
    [{ replicaCount: 2, autoscaling: { minReplicas: 1, maxReplicas: 3 } }, /pilot: set replicaCount or autoscaling, not both/],
    [{ autoscaling: { minReplicas: 4, maxReplicas: 3 } }, /pilot.autoscaling needs whole numbers with 1 <= minReplicas <= maxReplicas, got minReplicas 4 and maxReplicas 3/],
    [{ resources: { requests: { cpu: 'half' } } }, /pilot.resources.requests.cpu must be a Kubernetes quantity .*got 'half'/],
    [{ replicaCount: -1 }, /pilot.replicaCount must be a whole number of at least 0, got -1/],
  ])('bad component settings are refused (%#)', (pilot, message) => {
    expect(() => new IstioControlPlane(fragmentChart(), 'istio', { pilot })).toThrow(message);
  });

  test('output is byte-identical across runs', () => {
    const render = () => {
      const chart = new Chart(fragmentApp(), 'mesh');
      const controlPlane = new IstioControlPlane(chart, 'istio', { dnsProxy: {}, cni: {}, tracing: new RecordingTracing() });
      controlPlane.addMeshConfig({ enablePrometheusMerge: true }, 'prometheus');
      return JSON.stringify(Testing.synth(chart));
    };
    expect(render()).toBe(render());
  });
});

describe("Istio's one-of groups are refused where the merge makes them", () => {
  const jaeger = backends().jaeger;

  test("a Datadog tracer in props.meshConfig beside the library's legacy Zipkin tracer", () => {
    // GIVEN the legacy tracer form and a user's own tracer
    const props = {
      tracing: MeshTracing.zipkin(jaeger, { mode: TracingMode.MESH_CONFIG }),
      meshConfig: { defaultConfig: { tracing: { datadog: { address: 'datadog-agent.monitoring:8126' } } } },
    };
    // WHEN / THEN
    expect(() => new IstioControlPlane(fragmentChart(), 'istio', props))
      .toThrow(/^meshConfig\.defaultConfig\.tracing: at most one of \[zipkin lightstep datadog stackdriver openCensusAgent\] may be set .*got zipkin \(set by the library's Zipkin tracer \(tracing, mode MESH_CONFIG\)\) and datadog \(set by props\.meshConfig\.defaultConfig\.tracing\.datadog\); keep one: remove /);
  });

  test('two addMeshConfig fragments that each set one side of a one-of', () => {
    // GIVEN a fragment with a PEM trust anchor
    const controlPlane = new IstioControlPlane(fragmentChart(), 'istio');
    controlPlane.addMeshConfig({ defaultConfig: { privateKeyProvider: { cryptomb: { pollDelay: '10ms' } } } }, 'the crypto team');
    // WHEN another fragment sets the other side / THEN
    expect(() => controlPlane.addMeshConfig({ defaultConfig: { privateKeyProvider: { qat: { pollDelay: '5ms' } } } }, 'the hardware team'))
      .toThrow(/^meshConfig\.defaultConfig\.privateKeyProvider: at most one of \[cryptomb qat\] may be set .*got cryptomb \(set by the crypto team\) and qat \(set by the hardware team\); keep one: remove the crypto team or the hardware team$/);
  });

  test('a CA certificate with both sources, and an extension provider of two kinds', () => {
    expect(() => new IstioControlPlane(fragmentChart(), 'istio', {
      meshConfig: { caCertificates: [{ pem: '-----BEGIN CERTIFICATE-----', spiffeBundleUrl: 'https://bundle.example.com' }] },
    })).toThrow(/^meshConfig\.caCertificates\[0\]: at most one of \[pem spiffeBundleUrl\] may be set .*got pem \(set by props\.meshConfig\.caCertificates\[0\]\.pem\) and spiffeBundleUrl/);
    const controlPlane = new IstioControlPlane(fragmentChart(), 'istio');
    expect(() => controlPlane.addMeshConfig({ extensionProviders: [{ name: 'both', zipkin: { service: 'z.tracing.svc.cluster.local', port: 9411 }, opentelemetry: { service: 'otel.tracing.svc.cluster.local', port: 4317 } }] }, 'telemetry'))
      .toThrow(/^meshConfig\.extensionProviders\[0\]: at most one of \[envoyExtAuthzHttp .*\] may be set .*got zipkin \(set by telemetry\) and opentelemetry \(set by telemetry\); remove all but one of them$/);
  });

  test('the Telemetry API tracer and a second extension provider of another kind merge', () => {
    // GIVEN
    const chart = fragmentChart();
    const controlPlane = new IstioControlPlane(chart, 'istio', { tracing: MeshTracing.zipkin(jaeger) });
    // WHEN
    controlPlane.addMeshConfig({ extensionProviders: [{ name: 'otel', opentelemetry: { service: 'otel.tracing.svc.cluster.local', port: 4317 } }] }, 'telemetry');
    // THEN
    const istio = findOne(synthValid(chart), 'Istio');
    expect(istio.spec.values.meshConfig.extensionProviders.map((provider: any) => provider.name)).toEqual(['zipkin', 'otel']);
  });
});

describe("istiod's namespace and values.global.istioNamespace come from one place", () => {
  test.each([
    ['Sail Istio', InstallPath.SAIL, IstioVersion.LATEST],
    ['in-cluster IstioOperator', InstallPath.IN_CLUSTER_OPERATOR, IstioVersion.of('1.23.6')],
  ])('%s', (_name, installPath, version) => {
    // GIVEN / WHEN
    const chart = fragmentChart();
    new IstioControlPlane(chart, 'istio', { namespace: 'istio-control', installPath, version });
    // THEN
    const manifests = synthValid(chart);
    const resource = manifests.find((m) => m.kind === 'Istio' || m.kind === 'IstioOperator') as any;
    expect(resource.spec.namespace).toBe('istio-control');
    expect(resource.spec.values.global.istioNamespace).toBe('istio-control');
  });

  test('istioctl IstioOperator file', () => {
    const controlPlane = new IstioControlPlane(fragmentChart(), 'istio', { namespace: 'istio-control', installPath: InstallPath.ISTIOCTL });
    const istioctl = fragmentChart();
    new IstioOperatorFile(istioctl, 'install', { controlPlane });
    const iop = findOne(synthValid(istioctl), 'IstioOperator');
    expect(iop.spec.namespace).toBe('istio-control');
    expect(iop.spec.values.global.istioNamespace).toBe('istio-control');
  });

  test('a user value that contradicts the namespace is refused; the same value is accepted', () => {
    expect(() => new IstioControlPlane(fragmentChart(), 'istio', { namespace: 'istio-control', values: { global: { istioNamespace: 'istio-system' } } }))
      .toThrow(/^values\.global\.istioNamespace is 'istio-system' but istiod's namespace is 'istio-control': they must be the same .*leave values\.global\.istioNamespace out/);
    expect(() => new IstioControlPlane(fragmentChart(), 'istio', { namespace: 'istio-control', values: { global: { istioNamespace: 'istio-control' } } })).not.toThrow();
  });
});
