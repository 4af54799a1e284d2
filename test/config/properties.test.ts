import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import * as yaml from 'js-yaml';
import { IstioSpecVersion } from '../../imports/sail-istio-sailoperator.io';
import { IstioVersion, IstioVersionSupport, MeshSpec, readManifestFiles, validateMesh } from '../../lib';
import { runSynth } from './run-synth';
import { tree } from '../helpers/files';

// Generated configs: valid ones must always synthesize output that passes every check; mutated
// ones must always fail with a message and leave the output folder as it was.

/** Istio releases that both the Sail operator and the Kubernetes support table know. */
const RELEASES = (Object.values(IstioSpecVersion) as string[])
  .filter((version) => /^v\d+\.\d+\.\d+$/.test(version))
  .map((version) => version.slice(1))
  .filter((version) => {
    try {
      IstioVersionSupport.assertKnown(IstioVersion.of(version));
      return IstioVersion.of(version).isAtLeast(1, 24);
    } catch {
      return false;
    }
  });

const label = (prefix: string) => fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/).map((name) => `${prefix}-${name}`);

const releaseAndKubernetes = fc.constantFrom(...RELEASES).chain((version) => {
  const range = IstioVersionSupport.kubernetesRange(IstioVersion.of(version));
  const [min, max] = [range.min, range.max].map((v) => Number(v.split('.')[1]));
  return fc.record({ version: fc.constant(version), kubernetesVersion: fc.integer({ min, max }).map((minor) => `1.${minor}`) });
});

interface ServiceShape { name: string; ports: number[]; calls: number[] }
interface NamespaceShape { name: string; services: ServiceShape[]; calls: number[] }

const workloadsShape = fc.record({
  externals: fc.uniqueArray(label('ext'), { maxLength: 2 }),
  namespaces: fc.uniqueArray(fc.record({
    name: label('app'),
    services: fc.uniqueArray(fc.record({
      name: label('svc'),
      ports: fc.uniqueArray(fc.integer({ min: 1, max: 65535 }), { minLength: 1, maxLength: 3 }),
      calls: fc.array(fc.nat(), { maxLength: 3 }),
    }), { maxLength: 3, selector: (service) => service.name }),
    calls: fc.array(fc.nat(), { maxLength: 3 }),
  }), { maxLength: 4, selector: (namespace) => namespace.name }),
});

/** Turns indexes into call targets the app declares: own services, `ns/svc`, namespaces, external namespaces. */
function workloadsSpec(shape: { externals: string[]; namespaces: NamespaceShape[] }): MeshSpec['workloads'] {
  const targetsOf = (caller: NamespaceShape) => [
    ...caller.services.map((service) => service.name),
    ...shape.namespaces.filter((other) => other !== caller).flatMap((other) => [other.name, ...other.services.map((service) => `${other.name}/${service.name}`)]),
    ...shape.externals,
  ];
  const pick = (caller: NamespaceShape, indexes: number[]) => {
    const targets = targetsOf(caller);
    return targets.length === 0 ? [] : [...new Set(indexes.map((index) => targets[index % targets.length]))];
  };
  return {
    externalNamespaces: shape.externals,
    namespaces: Object.fromEntries(shape.namespaces.map((namespace) => [namespace.name, {
      services: Object.fromEntries(namespace.services.map((service) => [service.name, { ports: service.ports, calls: pick(namespace, service.calls) }])),
      calls: pick(namespace, namespace.calls),
    }])),
  };
}

const validSpec: fc.Arbitrary<MeshSpec> = fc.record({
  release: releaseAndKubernetes,
  revision: fc.option(label('rev'), { nil: undefined }),
  profile: fc.constantFrom('default', 'demo'),
  cni: fc.option(fc.constantFrom('default', 'gke', 'k3s', 'openshift'), { nil: undefined }),
  dnsProxy: fc.boolean(),
  samplingPercent: fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { nil: undefined }),
  tracingMode: fc.option(fc.constantFrom('TELEMETRY_API', 'MESH_CONFIG'), { nil: undefined }),
  externalTracing: fc.boolean(),
  mtls: fc.option(fc.constantFrom('STRICT', 'PERMISSIVE'), { nil: undefined }),
  ingressGateway: fc.boolean(),
  metrics: fc.option(fc.record({ server: fc.boolean(), monitors: fc.boolean(), scrapeInterval: fc.integer({ min: 1, max: 600 }) }), { nil: undefined }),
  dashboards: fc.boolean(),
  kiali: fc.boolean(),
  workloads: fc.option(workloadsShape, { nil: undefined }),
}).map((draw): MeshSpec => ({
  controlPlane: {
    ...draw.release,
    profile: draw.profile as any,
    ...(draw.revision ? { revision: draw.revision } : {}),
    ...(draw.cni ? { cni: { platform: draw.cni as any } } : {}),
    ...(draw.dnsProxy ? { dnsProxy: {} } : {}),
  },
  ...(draw.ingressGateway ? { ingressGateway: {} } : {}),
  ...(draw.mtls ? { mtls: { mode: draw.mtls as any } } : {}),
  tracing: {
    ...(draw.samplingPercent !== undefined ? { samplingPercent: draw.samplingPercent } : {}),
    ...(draw.tracingMode ? { mode: draw.tracingMode as any } : {}),
    backend: draw.externalTracing
      ? { external: { zipkinUrl: 'http://zipkin.tracing.example.com:9411', queryUrl: 'https://jaeger.tracing.example.com' } }
      : { jaegerV2: {} },
  },
  ...(draw.metrics ? {
    metrics: {
      prometheus: draw.metrics.server ? { server: { scrapeInterval: `${draw.metrics.scrapeInterval}s` } } : { inCluster: { namespace: 'monitoring' } },
      // One scrape form per target: the Secret for the rendered server, monitors for the existing one.
      ...(draw.metrics.monitors ? { ...draw.metrics.server ? { scrapeConfig: {} } : { envoyStatsMonitor: {}, istiodMonitor: {} }, recordingRules: {} } : {}),
    },
    ...(draw.dashboards ? { dashboards: { grafana: { existing: { externalUrl: 'https://grafana.example.com', apiCredentials: { bearerToken: { secretName: 'kiali-grafana' } } } } } } : {}),
    ...(draw.kiali ? { kiali: {} } : {}),
  } : {}),
  ...(draw.workloads ? { workloads: workloadsSpec(draw.workloads) } : {}),
}));

/** Namespaces the output relies on without creating them, worked out from the spec independently of the library. */
function expectedExternalNamespaces(spec: MeshSpec): string[] {
  return [
    ...(spec.metrics?.prometheus.inCluster ? ['monitoring'] : []),
    ...(spec.dashboards?.grafana.existing ? ['grafana'] : []),
    ...(spec.workloads?.externalNamespaces ?? []),
  ];
}

describe('generated mesh configs', () => {
  let workdir: string;
  let committed: Record<string, string>;
  beforeAll(() => {
    workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-properties-'));
    committed = tree(path.join(__dirname, '..', '..', 'dist'));
    expect(RELEASES.length).toBeGreaterThan(5);
  });
  afterAll(() => fs.rmSync(workdir, { recursive: true, force: true }));

  const writeConfig = (spec: unknown): { caseDir: string; configPath: string } => {
    const caseDir = fs.mkdtempSync(path.join(workdir, 'case-'));
    const configPath = path.join(caseDir, 'mesh.yaml');
    fs.writeFileSync(configPath, yaml.dump(spec, { lineWidth: -1 }));
    return { caseDir, configPath };
  };

  test('a valid config always synthesizes output that passes the schema and mesh checks', () => {
    fc.assert(fc.property(validSpec, (spec) => {
      // GIVEN
      const { caseDir, configPath } = writeConfig(spec);
      const outdir = path.join(caseDir, 'dist');
      // WHEN
      const result = runSynth({ configPath, outdir });
      // THEN
      expect(result.report).toMatch(/^synth: \d+ objects/);
      expect(result.exitCode).toBe(0);
      const manifests = readManifestFiles(outdir).flatMap((file) => file.manifests);
      expect(validateMesh(manifests, { externalNamespaces: expectedExternalNamespaces(spec) })).toEqual([]);
      expect(manifests.filter((m) => m.kind === 'Namespace').map((m) => m.metadata?.name))
        .toEqual(expect.arrayContaining(Object.keys(spec.workloads?.namespaces ?? {})));
      fs.rmSync(caseDir, { recursive: true, force: true });
    }), { numRuns: 25, seed: 20261125 });
  }, 180_000);

  test('the same config synthesizes byte-identical output twice', () => {
    fc.assert(fc.property(validSpec, (spec) => {
      const { caseDir, configPath } = writeConfig(spec);
      expect(runSynth({ configPath, outdir: path.join(caseDir, 'first') }).exitCode).toBe(0);
      expect(runSynth({ configPath, outdir: path.join(caseDir, 'second') }).exitCode).toBe(0);
      expect(tree(path.join(caseDir, 'second'))).toEqual(tree(path.join(caseDir, 'first')));
      fs.rmSync(caseDir, { recursive: true, force: true });
    }), { numRuns: 5, seed: 7 });
  }, 120_000);

  /** A mutation of a valid spec that must be refused, and the key path the report must name. */
  type Mutation = [string, (spec: any) => void];
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    fc.oneof(fc.double({ min: 100.001, max: 1e6, noNaN: true }), fc.double({ min: -1e6, max: -0.001, noNaN: true }))
      .map((value): Mutation => ['tracing.samplingPercent', (spec: any) => { spec.tracing.samplingPercent = value; }]),
    fc.oneof(fc.integer({ min: 65536, max: 10_000_000 }), fc.integer({ min: -1000, max: 0 }), fc.double({ min: 1.01, max: 65534.99, noInteger: true }))
      .map((port): Mutation => ['workloads.namespaces.app-ports.services.svc-web.ports', (spec: any) => {
        spec.workloads = { ...spec.workloads, namespaces: { ...spec.workloads?.namespaces, 'app-ports': { services: { 'svc-web': { ports: [8080, port] } } } } };
      }]),
    fc.oneof(fc.stringMatching(/^[A-Z][A-Za-z0-9]{0,8}$/), fc.stringMatching(/^[a-z]{1,5}_[a-z]{1,5}$/), fc.constant('x'.repeat(64)), fc.constant('-leading'))
      .map((name): Mutation => [`workloads.namespaces.${name}`, (spec: any) => {
        spec.workloads = { ...spec.workloads, namespaces: { ...spec.workloads?.namespaces, [name]: {} } };
      }]),
    fc.tuple(fc.constantFrom('', 'controlPlane', 'tracing', 'tracing.backend.jaegerV2'), fc.stringMatching(/^[a-z]{2,10}[A-Z][a-z]{1,5}$/))
      .map(([parent, key]): Mutation => [parent ? `${parent}.${key}` : key, (spec: any) => {
        spec.tracing.backend = { jaegerV2: {} };
        const target = parent.split('.').filter(Boolean).reduce((node, part) => node[part], spec);
        target[key] = 'surprise';
      }]),
    fc.constantFrom<Mutation>(
      ['controlPlane.namespace', (spec) => { spec.controlPlane.namespace = 42; }],
      ['tracing.samplingPercent', (spec) => { spec.tracing.samplingPercent = 'ten'; }],
      ['workloads.namespaces', (spec) => { spec.workloads = { namespaces: ['app-a'] }; }],
      ['controlPlane.kubernetesVersion', (spec) => { spec.controlPlane.kubernetesVersion = 1.33; }],
      ['metrics', (spec) => { spec.metrics = true; }],
    ),
  );

  test('a mutated config always fails with the key path and leaves the output as it was', () => {
    fc.assert(fc.property(validSpec, mutation, (spec, [keyPath, mutate]) => {
      // GIVEN a copy of the committed output and a config with one mistake
      mutate(spec);
      const { caseDir, configPath } = writeConfig(spec);
      const outdir = path.join(caseDir, 'dist');
      fs.cpSync(path.join(__dirname, '..', '..', 'dist'), outdir, { recursive: true });
      // WHEN
      const result = runSynth({ configPath, outdir });
      // THEN
      expect(result.exitCode).toBe(1);
      expect(result.report).toContain(`${configPath}: ${keyPath}`);
      expect(tree(outdir)).toEqual(committed);
      fs.rmSync(caseDir, { recursive: true, force: true });
    }), { numRuns: 50, seed: 42 });
  }, 120_000);
});
