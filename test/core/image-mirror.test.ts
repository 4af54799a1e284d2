import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import {
  GrafanaInstance, ImageMirror, InstallPath, IstioControlPlane, IstioVersion, Jaeger, JaegerStorage, JaegerStrategy, JaegerV2, Kiali,
  KialiDeployment, Manifest, MeshSynthesis, MeshWarningCode, MeshWarnings, PrometheusServer, buildMesh, loadMeshConfig, validateMesh,
} from '../../lib';
import { backends } from '../kiali/fixtures';
import { findOne, fragmentChart, synthValid } from '../helpers/manifests';
import { problemsOf } from '../helpers/mesh-build';

const root = path.resolve(__dirname, '../..');
const MIRROR = 'registry.example.com:5000/mirror';

/** Kinds whose objects run no pod: nothing to pull. */
const PODLESS_KINDS = new Set([
  'Namespace', 'ConfigMap', 'Secret', 'Service', 'ServiceAccount', 'Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding',
  'CustomResourceDefinition', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Kustomization', 'PeerAuthentication', 'Sidecar', 'VirtualService', 'DestinationRule', 'AuthorizationPolicy',
  'Telemetry', 'ServiceEntry', 'HTTPRoute', 'ReferenceGrant', 'PodMonitor', 'ServiceMonitor', 'PrometheusRule', 'GrafanaDashboard',
  'GrafanaDatasource', 'GrafanaFolder',
  // An alias of a revision: Sail renders its webhook and Service, no pods.
  'IstioRevisionTag',
]);
/** Kinds whose pods istiod or an Istio installer creates from the control plane's hub (`image: auto` is the injector's). */
const HUB_KINDS = new Set(['Gateway']);

interface ImageReference {
  readonly object: string;
  readonly field: string;
  readonly image: string;
}

/**
 * Every image an object names, wherever its kind keeps it: containers' `image`, Istio's `hub`,
 * the Kiali CR's `image_name`, the Grafana CR's `spec.version` when it is a whole reference. A
 * field named like an image anywhere in the object counts, so a new part cannot hide one.
 */
function imageReferences(manifest: any): ImageReference[] {
  const object = `${manifest.kind}/${manifest.metadata?.namespace ? `${manifest.metadata.namespace}/` : ''}${manifest.metadata?.name}`;
  const found: ImageReference[] = [];
  const walk = (value: unknown, field: string) => {
    if (Array.isArray(value)) {
      value.forEach((item, index) => walk(item, `${field}[${index}]`));
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        const childField = field ? `${field}.${key}` : key;
        if (typeof child === 'string' && /^(image|hub|image_name|imageName|baseImage)$/.test(key) && child !== 'auto') {
          found.push({ object, field: childField, image: child });
        } else {
          walk(child, childField);
        }
      }
    }
  };
  walk(manifest, '');
  if (manifest.kind === 'Grafana' && /[:/@]/.test(manifest.spec?.version ?? '')) {
    found.push({ object, field: 'spec.version', image: manifest.spec.version });
  }
  return found;
}

/**
 * Fails for an object that runs pods but names no image: its operator would pull its own default
 * from a public registry. A kind the output gains later must be added to PODLESS_KINDS or name
 * its images.
 */
function expectEveryPodKindNamesItsImages(manifests: readonly any[]): void {
  const hubSet = manifests.some((m) => imageReferences(m).some((ref) => /\.hub$|^spec\.hub$/.test(ref.field)));
  const silent = manifests
    .filter((m) => !PODLESS_KINDS.has(m.kind) && !(HUB_KINDS.has(m.kind) && hubSet) && imageReferences(m).length === 0)
    .filter((m) => !(m.kind === 'Deployment' && m.spec.template.spec.containers.every((c: any) => c.image === 'auto') && hubSet))
    .map((m) => `${m.kind}/${m.metadata.name}`);
  expect(silent).toEqual([]);
}

function outsideMirror(manifests: readonly Manifest[]): ImageReference[] {
  return manifests.flatMap(imageReferences).filter((ref) => !ref.image.startsWith(`${MIRROR}/`));
}

const configs = ['mesh.yaml', ...fs.readdirSync(path.join(root, 'examples')).sort()
  .map((name) => path.join('examples', name, 'mesh.yaml'))
  .filter((file) => fs.existsSync(path.join(root, file)))];

/** A mesh.yaml with `imageMirror` added, built and checked, with the istioctl input file; and its IMAGES.txt. */
function buildMirroredWithList(file: string): { manifests: Manifest[]; imageList: string } {
  const configPath = path.join(root, file);
  const spec = { ...loadMeshConfig(configPath), imageMirror: { registry: MIRROR } };
  const mesh = buildMesh(Testing.app(), spec, { file: configPath });
  const manifests = [...mesh.charts, ...mesh.istioctlApp?.charts ?? []].flatMap((chart) => chart.toJson() as Manifest[]);
  expect(validateMesh(manifests, { externalNamespaces: mesh.externalNamespaces, crds: mesh.validation.crds, uncheckedKinds: mesh.validation.uncheckedKinds, declaredWorkloads: mesh.scoping?.declaredWorkloads })).toEqual([]);
  return { manifests, imageList: mesh.extraFiles['IMAGES.txt'] };
}

function buildMirrored(file: string): Manifest[] {
  return buildMirroredWithList(file).manifests;
}

/**
 * The images of the output that IMAGES.txt does not list: every image an object names, and
 * istiod's and the proxy's under each hub. The Kiali CR's repository (at the operator's release)
 * is the warning's to name.
 */
function missingFromList(manifests: readonly Manifest[], imageList: string): string[] {
  const listed = new Set(imageList.split('\n').filter((line) => line && !line.startsWith('#')).map((line) => line.split(' ')[1]));
  const references = manifests.flatMap(imageReferences).filter((ref) => !ref.field.endsWith('image_name'));
  const needed = references.flatMap((ref) => /(^|\.)hub$/.test(ref.field) ? [`${ref.image}/pilot:`, `${ref.image}/proxyv2:`] : [ref.image]);
  return [...new Set(needed)].filter((image) => image.endsWith(':') ? ![...listed].some((entry) => entry.startsWith(image)) : !listed.has(image));
}

describe('ImageMirror', () => {
  test.each([
    ['docker.io/jaegertracing/jaeger:2.14.0', `${MIRROR}/jaegertracing/jaeger:2.14.0`],
    ['jaegertracing/jaeger:2.14.0', `${MIRROR}/jaegertracing/jaeger:2.14.0`],
    ['quay.io/kiali/kiali:v2.29.0', `${MIRROR}/kiali/kiali:v2.29.0`],
    ['ghcr.io/jaegertracing/spark-dependencies/spark-dependencies', `${MIRROR}/jaegertracing/spark-dependencies/spark-dependencies`],
    ['busybox:1.37', `${MIRROR}/library/busybox:1.37`],
    ['localhost:5000/tools/curl@sha256:0123456789abcdef0123456789abcdef', `${MIRROR}/tools/curl@sha256:0123456789abcdef0123456789abcdef`],
    [`${MIRROR}/custom/kiali:v2.29.0`, `${MIRROR}/custom/kiali:v2.29.0`],
  ])('moves %s to %s', (image, mirrored) => {
    expect(ImageMirror.at(MIRROR).image(image)).toBe(mirrored);
  });

  test('keepSourceRegistry keeps the source registry as the first path segment; hubs are prefixes, not official images', () => {
    const mirror = ImageMirror.at('mirror.internal', { keepSourceRegistry: true });
    expect(mirror.image('quay.io/kiali/kiali:v2.29.0')).toBe('mirror.internal/quay.io/kiali/kiali:v2.29.0');
    expect(mirror.image('busybox')).toBe('mirror.internal/docker.io/library/busybox');
    expect(mirror.repository('docker.io/istio')).toBe('mirror.internal/docker.io/istio');
    expect(ImageMirror.at('mirror.internal').repository('istio')).toBe('mirror.internal/istio');
  });

  test.each(['https://registry.example.com', 'registry.example.com/', 'Registry.example.com', 'registry.example.com:tag/x'])('refuses registry %s', (registry) => {
    expect(() => ImageMirror.at(registry)).toThrow(new RegExp(`registry must be an image registry path.*got '${registry.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}'`));
  });

  test('set after a part named its images is an error naming the part', () => {
    // GIVEN
    const chart = Testing.chart();
    new JaegerV2(chart, 'jaeger');
    // WHEN / THEN
    expect(() => ImageMirror.use(chart, ImageMirror.at(MIRROR))).toThrow(/ImageMirror.use\(registry.example.com:5000\/mirror\) comes after test\/jaeger named its images without a mirror: set the mirror before creating any part/);
    // the same mirror again is no change
    const other = Testing.chart();
    ImageMirror.use(other, ImageMirror.at(MIRROR));
    new JaegerV2(other, 'jaeger');
    expect(() => ImageMirror.use(other, ImageMirror.at(MIRROR))).not.toThrow();
  });

  describe.each(configs)('%s with imageMirror', (file) => {
    let manifests: Manifest[];
    beforeAll(() => { manifests = buildMirrored(file); });

    test('pulls every image it names from the mirror', () => {
      expect(manifests.flatMap(imageReferences).length).toBeGreaterThan(0);
      expect(outsideMirror(manifests)).toEqual([]);
    });

    test('leaves no pod-running object to its operator\'s default image', () => {
      expectEveryPodKindNamesItsImages(manifests);
    });

    test('lists every image it pulls in IMAGES.txt, with its source', () => {
      const { manifests: built, imageList } = buildMirroredWithList(file);
      expect(imageList).toMatch(/^# The images this output pulls/);
      expect(missingFromList(built, imageList)).toEqual([]);
    });
  });

  test('the guide\'s mesh.yaml: Istio\'s hub, Jaeger v2 and Kiali from the mirror, at the releases they default to', () => {
    const manifests = buildMirrored('mesh.yaml');
    expect(findOne(manifests, 'Istio').spec.values.global.hub).toBe(`${MIRROR}/istio`);
    expect(findOne(manifests, 'IstioCNI').spec.values.global.hub).toBe(`${MIRROR}/istio`);
    expect(findOne(manifests, 'Deployment', 'jaeger').spec.template.spec.containers[0].image).toBe(`${MIRROR}/jaegertracing/jaeger:2.14.0`);
    expect(findOne(manifests, 'Deployment', 'kiali').spec.template.spec.containers[0].image).toBe(`${MIRROR}/kiali/kiali:v2.29.0`);
  });

  test('mesh.yaml: a Kiali CR under imageMirror warns in mesh.yaml words that the operator must allow the image', () => {
    const mesh = buildMesh(Testing.app(), {
      imageMirror: { registry: MIRROR },
      metrics: { prometheus: { inCluster: {} } },
      kiali: { deployment: KialiDeployment.OPERATOR_CR },
    });
    expect(mesh.warnings.filter((warning) => warning.includes('ad hoc'))).toEqual([expect.stringMatching(
      new RegExp(`names image ${MIRROR}/kiali/kiali:operator_version \\(copy quay.io/kiali/kiali at the operator's own release, such as v2.29.0, to ${MIRROR}/kiali/kiali: .*\\): run the Kiali operator with ALLOW_AD_HOC_KIALI_IMAGE=true .*which kiali.image and imageMirror need with kiali.deployment operator-cr$`),
    )]);
  });

  test('MeshSynthesis.ofApp writes IMAGES.txt beside the manifests; without a mirror there is none', () => {
    const workdir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'image-list-'));
    try {
      const synth = (mirror?: ImageMirror) => {
        const app = new App();
        if (mirror) {
          ImageMirror.use(app, mirror);
        }
        new JaegerV2(new Chart(app, 'tracing'), 'jaeger');
        const outdir = path.join(workdir, mirror ? 'mirrored' : 'plain');
        expect(MeshSynthesis.ofApp(app, { outdir }).synthesize().exitCode).toBe(0);
        return fs.readdirSync(outdir);
      };
      expect(synth(ImageMirror.at(MIRROR))).toContain('IMAGES.txt');
      expect(fs.readFileSync(path.join(workdir, 'mirrored', 'IMAGES.txt'), 'utf8').split('\n').filter((line) => !line.startsWith('#')))
        .toEqual([`docker.io/jaegertracing/jaeger:2.14.0 ${MIRROR}/jaegertracing/jaeger:2.14.0`, '']);
      expect(synth()).not.toContain('IMAGES.txt');
    } finally {
      fs.rmSync(workdir, { recursive: true, force: true });
    }
  });

  test('mesh.yaml: a bad imageMirror.registry is refused at its key path', () => {
    expect(problemsOf({ imageMirror: { registry: 'https://registry.example.com' } })).toEqual([{
      path: 'imageMirror.registry',
      message: expect.stringMatching(/^must be an image registry path .*got 'https:\/\/registry.example.com'$/),
    }]);
  });

  describe('TypeScript parts', () => {
    let manifestsApp: Chart | undefined;
    /** Every part with images, in one app that uses the mirror; Jaeger v1 in each strategy and storage. */
    function renderAll(): Manifest[] {
      const chart = fragmentChart();
      manifestsApp = chart;
      ImageMirror.use(chart, ImageMirror.at(MIRROR));
      new IstioControlPlane(chart, 'istio', { version: IstioVersion.of('1.23.6'), installPath: InstallPath.IN_CLUSTER_OPERATOR });
      new Jaeger(chart, 'memory', { namespace: 'jaeger-memory' });
      const elasticsearch = JaegerStorage.elasticsearch({ serverUrls: ['https://es.example.com:9200'] });
      new Jaeger(chart, 'elasticsearch', { namespace: 'jaeger-es', storage: elasticsearch });
      new Jaeger(chart, 'cassandra', { namespace: 'jaeger-cassandra', storage: JaegerStorage.cassandra({ servers: ['cassandra.example.com'], keyspace: 'jaeger' }) });
      new Jaeger(chart, 'streaming', { namespace: 'jaeger-streaming', storage: elasticsearch, strategy: JaegerStrategy.STREAMING, kafka: { brokers: ['kafka.example.com:9092'] } });
      new JaegerV2(chart, 'jaeger-v2', { image: 'docker.io/jaegertracing/jaeger:2.15.0' });
      new PrometheusServer(chart, 'prometheus');
      new GrafanaInstance(chart, 'grafana');
      new Kiali(chart, 'kiali-cr', { prometheus: backends().prometheus, deployment: KialiDeployment.OPERATOR_CR, namespace: 'kiali-cr' });
      new Kiali(chart, 'kiali', { prometheus: backends().prometheus, namespace: 'kiali', image: 'quay.io/kiali/kiali:v2.30.0' });
      return synthValid(chart);
    }

    test('each one pulls from the mirror, chosen images included; the mirror lists what to copy', () => {
      const manifests = renderAll();
      expect(outsideMirror(manifests)).toEqual([]);
      const listed = ImageMirror.of(manifestsApp!)!.images;
      expect(listed.map(({ source, mirrored }) => `${source} -> ${mirrored.slice(MIRROR.length + 1)}`)).toMatchSnapshot();
      expect(listed.filter(({ source }) => source.startsWith('docker.io/istio/')).map(({ source }) => source))
        .toEqual(['docker.io/istio/operator:1.23.6', 'docker.io/istio/pilot:1.23.6', 'docker.io/istio/proxyv2:1.23.6']);
      expect(missingFromList(manifests, listed.map(({ source, mirrored }) => `${source} ${mirrored}`).join('\n'))).toEqual([]);
      expectEveryPodKindNamesItsImages(manifests);
      expect(manifests.flatMap(imageReferences).map((ref) => `${ref.object} ${ref.field}: ${ref.image.slice(MIRROR.length + 1)}`)).toMatchSnapshot();
    });

    test('Jaeger v1 names the image of every pod and job the operator creates for the strategy and storage', () => {
      const jaegers = Object.fromEntries(renderAll().filter((m) => m.kind === 'Jaeger').map((m: any) => [m.metadata.namespace, m.spec]));
      expect(jaegers['jaeger-memory'].allInOne.image).toBe(`${MIRROR}/jaegertracing/all-in-one:1.65.0`);
      expect(Object.keys(jaegers['jaeger-memory'].storage).sort()).toEqual(['options', 'type']);
      expect(jaegers['jaeger-es']).toMatchObject({
        collector: { image: `${MIRROR}/jaegertracing/jaeger-collector:1.65.0` },
        query: { image: `${MIRROR}/jaegertracing/jaeger-query:1.65.0` },
        agent: { image: `${MIRROR}/jaegertracing/jaeger-agent:1.62.0` },
        storage: {
          esIndexCleaner: { image: `${MIRROR}/jaegertracing/jaeger-es-index-cleaner:1.65.0` },
          esRollover: { image: `${MIRROR}/jaegertracing/jaeger-es-rollover:1.65.0` },
          dependencies: { image: `${MIRROR}/jaegertracing/spark-dependencies/spark-dependencies` },
        },
      });
      expect(jaegers['jaeger-cassandra'].storage.cassandraCreateSchema.image).toBe(`${MIRROR}/jaegertracing/jaeger-cassandra-schema:1.65.0`);
      expect(jaegers['jaeger-streaming'].ingester.image).toBe(`${MIRROR}/jaegertracing/jaeger-ingester:1.65.0`);
    });

    test('Prometheus: spec.image with the release it is, and the operator\'s config reloader containers', () => {
      const spec = findOne(renderAll(), 'Prometheus').spec;
      expect(spec.image).toBe(`${MIRROR}/prometheus/prometheus:${PrometheusServer.DEFAULT_VERSION}`);
      expect(spec.version).toBe(PrometheusServer.DEFAULT_VERSION);
      expect(spec.containers).toEqual([{ name: 'config-reloader', image: `${MIRROR}/prometheus-operator/prometheus-config-reloader:v0.93.0` }]);
      expect(spec.initContainers).toEqual([{ name: 'init-config-reloader', image: `${MIRROR}/prometheus-operator/prometheus-config-reloader:v0.93.0` }]);
    });

    test('Grafana: the whole reference in spec.version, and gzip off for Grafana 13 as the operator does for a bare release', () => {
      const spec = findOne(renderAll(), 'Grafana').spec;
      expect(spec.version).toBe(`${MIRROR}/grafana/grafana:${GrafanaInstance.DEFAULT_VERSION}`);
      expect(spec.config.server).toEqual({ enable_gzip: 'false' });
      // GIVEN Grafana 12, where the operator sets nothing
      const chart = fragmentChart();
      ImageMirror.use(chart, ImageMirror.at(MIRROR));
      new GrafanaInstance(chart, 'grafana', { version: '12.3.1', externalUrl: 'https://grafana.example.com' });
      const grafana12 = findOne(synthValid(chart), 'Grafana').spec;
      expect(grafana12.version).toBe(`${MIRROR}/grafana/grafana:12.3.1`);
      expect(grafana12.config.server).toEqual({ root_url: 'https://grafana.example.com' });
    });

    test('the Kiali CR takes the mirror\'s copy of the operator\'s release, with a warning that the operator must allow it', () => {
      // GIVEN
      const chart = fragmentChart();
      ImageMirror.use(chart, ImageMirror.at(MIRROR));
      // WHEN
      new Kiali(chart, 'kiali', { prometheus: backends().prometheus, deployment: KialiDeployment.OPERATOR_CR });
      // THEN
      expect(findOne(synthValid(chart), 'Kiali').spec.deployment).toMatchObject({ image_name: `${MIRROR}/kiali/kiali`, image_version: 'operator_version' });
      expect(MeshWarnings.of(chart).all.filter((w) => w.code === MeshWarningCode.KIALI_AD_HOC_IMAGE)).toEqual([expect.objectContaining({
        message: expect.stringContaining(`names image ${MIRROR}/kiali/kiali:operator_version`),
        fix: expect.stringMatching(/ALLOW_AD_HOC_KIALI_IMAGE=true.*allowAdHocKialiImage=true/),
      })]);
    });

    test('without a mirror the operators keep choosing: no image named in the Jaeger, Prometheus, Grafana and Kiali CRs', () => {
      const chart = fragmentChart();
      new Jaeger(chart, 'jaeger', { storage: JaegerStorage.elasticsearch({ serverUrls: ['https://es.example.com:9200'] }) });
      new PrometheusServer(chart, 'prometheus');
      new GrafanaInstance(chart, 'grafana');
      new Kiali(chart, 'kiali', { prometheus: backends().prometheus, deployment: KialiDeployment.OPERATOR_CR, namespace: 'kiali' });
      expect(synthValid(chart).flatMap(imageReferences)).toEqual([]);
      expect(MeshWarnings.of(chart).all.map((w) => w.code)).not.toContain(MeshWarningCode.KIALI_AD_HOC_IMAGE);
    });
  });
});
