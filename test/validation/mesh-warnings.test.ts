import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Duration, Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import {
  InstallPath, IstioControlPlane, IstioVersion, Jaeger, JaegerV2, Kiali, KialiAuthStrategy, KialiDeployment, MeshWarningCode, MeshWarnings,
  PrometheusServer, PrometheusStorage, SidecarScoping, formatMeshWarning,
} from '../../lib';
import { runSynth } from '../config/run-synth';
import { backends } from '../kiali/fixtures';
import { fragmentChart } from '../helpers/manifests';

function warningsOf(chart: Chart) {
  return MeshWarnings.of(chart).all;
}

function codesOf(chart: Chart): MeshWarningCode[] {
  return warningsOf(chart).map((warning) => warning.code);
}

describe('MeshWarnings', () => {
  test('one set per app: a warning added twice is kept once, and the order does not follow the order of adding', () => {
    // GIVEN
    const first = fragmentChart();
    const second = new Chart(first.node.root as any, 'second');
    const other = fragmentChart();
    const warn = (chart: Chart, code: MeshWarningCode, message: string) => MeshWarnings.of(chart).add(chart, { code, message, fix: 'do this' });
    // WHEN
    warn(second, MeshWarningCode.MESH_DEFAULT_SIDECAR, 'b');
    warn(first, MeshWarningCode.ISTIO_END_OF_LIFE, 'a');
    warn(first, MeshWarningCode.MESH_DEFAULT_SIDECAR, 'b');
    warn(second, MeshWarningCode.ISTIO_END_OF_LIFE, 'a');
    // THEN
    expect(MeshWarnings.of(first)).toBe(MeshWarnings.of(second));
    expect(warningsOf(first)).toEqual([
      { code: MeshWarningCode.ISTIO_END_OF_LIFE, message: 'a', fix: 'do this', path: 'test' },
      { code: MeshWarningCode.MESH_DEFAULT_SIDECAR, message: 'b', fix: 'do this', path: 'second' },
    ]);
    expect(warningsOf(other)).toEqual([]);
    expect(formatMeshWarning(warningsOf(first)[0])).toBe('a: do this');
  });

  test('a warning without its fix is refused', () => {
    const chart = fragmentChart();
    expect(() => MeshWarnings.of(chart).add(chart, { code: MeshWarningCode.ISTIO_END_OF_LIFE, message: 'something', fix: ' ' })).toThrow(/needs a message and a fix/);
  });
});

describe('what warns', () => {
  test('an end-of-life Istio release, once, naming the supported releases', () => {
    // GIVEN
    const chart = fragmentChart();
    // WHEN
    new IstioControlPlane(chart, 'istio', { version: IstioVersion.of('1.28.3') });
    new IstioControlPlane(chart, 'istio-canary', { version: IstioVersion.of('1.28.3'), revision: 'canary' });
    // THEN
    const warnings = warningsOf(chart).filter((w) => w.code === MeshWarningCode.ISTIO_END_OF_LIFE);
    expect(warnings).toHaveLength(1);
    expect(warnings[0].message).toMatch(/^Istio 1\.28 is past end of life/);
    expect(warnings[0].fix).toMatch(/supported release \(1\.31, 1\.30, 1\.29\).*IstioVersion\.of\('1\.30\.3'\)/);
  });

  test('the in-cluster operator path (Istio 1.23 at most) always runs an end-of-life release', () => {
    const chart = fragmentChart();
    new IstioControlPlane(chart, 'istio', { version: IstioVersion.of('1.23.6'), installPath: InstallPath.IN_CLUSTER_OPERATOR });
    expect(codesOf(chart)).toEqual([MeshWarningCode.ISTIO_END_OF_LIFE]);
  });

  test('a supported Istio release, Jaeger v2 and an anonymous Kiali: no warning', () => {
    const chart = fragmentChart();
    const istio = new IstioControlPlane(chart, 'istio');
    new JaegerV2(chart, 'jaeger');
    new Kiali(chart, 'kiali', { prometheus: backends().prometheus, istioNamespace: istio, authStrategy: KialiAuthStrategy.ANONYMOUS, viewOnlyMode: true });
    expect(warningsOf(chart)).toEqual([]);
  });

  test('Jaeger v1, end of life since 2025-12-31, with the way to v2', () => {
    const chart = fragmentChart();
    new Jaeger(chart, 'jaeger', { namespace: 'tracing' });
    expect(warningsOf(chart)).toEqual([expect.objectContaining({
      code: MeshWarningCode.JAEGER_V1_END_OF_LIFE,
      message: expect.stringMatching(/^Jaeger v1 \(tracing\/jaeger\) .*end of life on 2025-12-31/),
      fix: expect.stringMatching(/JaegerV2/),
    })]);
  });

  test('Kiali with an end-of-life Istio release, learnt from the control plane', () => {
    const chart = fragmentChart();
    const istio = new IstioControlPlane(chart, 'istio', { version: IstioVersion.of('1.26.2') });
    new Kiali(chart, 'kiali', { prometheus: backends().prometheus, istioNamespace: istio, authStrategy: KialiAuthStrategy.ANONYMOUS });
    const kiali = warningsOf(chart).find((w) => w.code === MeshWarningCode.KIALI_ISTIO_UNSUPPORTED);
    expect(kiali?.message).toMatch(/^Kiali istio-system\/kiali does not support Istio 1\.26: .*tested against .* \(1\.31, 1\.30, 1\.29/);
    expect(kiali?.path).toBe('test/kiali');
  });

  test('a Kiali image older than the Istio release; the default image and a tag it cannot read do not warn', () => {
    // GIVEN
    const chart = fragmentChart();
    const { prometheus } = backends();
    const anonymous = { prometheus, authStrategy: KialiAuthStrategy.ANONYMOUS, istioVersion: IstioVersion.of('1.30.3') };
    // WHEN
    new Kiali(chart, 'old', { ...anonymous, name: 'old', image: 'quay.io/kiali/kiali:v2.17.1' });
    new Kiali(chart, 'default', { ...anonymous, name: 'default' });
    new Kiali(chart, 'latest', { ...anonymous, name: 'latest', image: 'quay.io/kiali/kiali:latest' });
    new Kiali(chart, 'cr', { ...anonymous, name: 'cr', deployment: KialiDeployment.OPERATOR_CR });
    // THEN
    expect(warningsOf(chart)).toEqual([{
      code: MeshWarningCode.KIALI_OLDER_THAN_ISTIO,
      path: 'test/old',
      message: 'Kiali istio-system/old runs quay.io/kiali/kiali:v2.17.1, older than Istio 1.30 (whose own addon installs Kiali v2.22): it is not tested against that release',
      fix: `use Kiali v2.22 or newer, such as the default image ${Kiali.DEFAULT_IMAGE}`,
    }]);
  });

  test('the signing key Secret a logging-in Kiali addon waits for, in the operator\'s layout; not for the operator CR', () => {
    // GIVEN
    const chart = fragmentChart();
    const { prometheus } = backends();
    // WHEN
    new Kiali(chart, 'kiali', { prometheus, namespace: 'kiali', createNamespace: false });
    new Kiali(chart, 'cr', { prometheus, name: 'cr', deployment: KialiDeployment.OPERATOR_CR });
    // THEN
    expect(warningsOf(chart)).toEqual([expect.objectContaining({
      code: MeshWarningCode.KIALI_SIGNING_KEY,
      path: 'test/kiali',
      message: expect.stringMatching(/^Kiali kiali\/kiali does not start until Secret kiali\/kiali-signing-key exists with key 'key' \(16, 24 or 32 characters\)/),
      fix: expect.stringContaining('kubectl -n kiali create secret generic kiali-signing-key --from-literal=key='),
    })]);
  });

  test('Prometheus retention in an emptyDir names the retention; the default persistent volume does not warn', () => {
    const chart = fragmentChart();
    new PrometheusServer(chart, 'prometheus', { retention: Duration.days(30), storage: PrometheusStorage.emptyDir() });
    expect(warningsOf(chart)).toEqual([expect.objectContaining({
      code: MeshWarningCode.PROMETHEUS_RETENTION_WITHOUT_STORAGE,
      message: expect.stringMatching(/^Prometheus monitoring\/prometheus keeps 30 days of samples \(retention\) in an emptyDir/),
      fix: expect.stringContaining('PrometheusStorage.persistentVolume'),
    })]);
    const persistent = fragmentChart();
    new PrometheusServer(persistent, 'prometheus', { retention: Duration.days(30) });
    expect(warningsOf(persistent)).toEqual([]);
  });

  test('the mesh-wide default Sidecar, unless turned off', () => {
    const on = fragmentChart();
    new SidecarScoping(on, 'scoping');
    expect(warningsOf(on)).toEqual([expect.objectContaining({
      code: MeshWarningCode.MESH_DEFAULT_SIDECAR,
      message: expect.stringMatching(/^the mesh-wide default Sidecar istio-system\/default applies to every injected namespace .*also those this app does not declare/),
      fix: expect.stringContaining('meshDefaultSidecar: false'),
    })]);
    const off = fragmentChart();
    new SidecarScoping(off, 'scoping', { meshDefaultSidecar: false });
    expect(warningsOf(off)).toEqual([]);
  });
});

describe('the synth summary of a mesh.yaml', () => {
  let workdir: string;
  beforeEach(() => { workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-warnings-')); });
  afterEach(() => fs.rmSync(workdir, { recursive: true, force: true }));

  test('lists each warning once, in mesh.yaml words, ordered by code, the same every run', () => {
    // GIVEN an end-of-life Istio with Kiali, Jaeger v1, a rendered Prometheus and the default Sidecar
    const configPath = path.join(workdir, 'mesh.yaml');
    fs.writeFileSync(configPath, yaml.dump({
      controlPlane: { version: '1.28.3' },
      tracing: { backend: { jaeger: {} } },
      metrics: { prometheus: { server: { retention: '7d', storage: { emptyDir: {} } } } },
      kiali: {},
      workloads: { namespaces: { shop: { services: { web: { ports: [8080] } } } } },
    }));
    // WHEN
    const run = () => runSynth({ configPath, outdir: path.join(workdir, 'dist') });
    const result = run();
    // THEN
    expect(result.exitCode).toBe(0);
    const lines = result.report.split('\n');
    const start = lines.indexOf('warnings (6):');
    expect(start).toBeGreaterThan(0);
    const warnings = lines.slice(start + 1);
    expect(warnings).toEqual([
      expect.stringMatching(/^ {2}- Istio 1\.28 is past end of life.*: set controlPlane\.version to a supported release \(1\.31, 1\.30, 1\.29\), such as 1\.30\.3/),
      expect.stringMatching(/^ {2}- Jaeger v1 \(observability\/jaeger\) .*: move to tracing\.backend\.jaegerV2/),
      expect.stringMatching(/^ {2}- Kiali istio-system\/kiali does not support Istio 1\.28/),
      expect.stringMatching(/^ {2}- Kiali istio-system\/kiali does not start until Secret istio-system\/kiali-signing-key exists/),
      expect.stringMatching(/^ {2}- the mesh-wide default Sidecar .*: .*set workloads\.meshDefaultSidecar: false/),
      expect.stringMatching(/^ {2}- Prometheus monitoring\/prometheus keeps 7 days .*: set metrics\.prometheus\.server\.storage\.persistentVolume \(sizeGibibytes, storageClassName\) instead of emptyDir/),
    ]);
    expect(run().report.split('\n').slice(start)).toEqual(lines.slice(start));
  });

  test('a mesh without surprises says so', () => {
    const configPath = path.join(workdir, 'mesh.yaml');
    fs.writeFileSync(configPath, yaml.dump({ tracing: { backend: { jaegerV2: {} } } }));
    const result = runSynth({ configPath, outdir: path.join(workdir, 'dist') });
    expect(result.exitCode).toBe(0);
    expect(result.report.split('\n').slice(-1)).toEqual(['warnings: none']);
  });
});

// The registry lives beside the app: a fresh Testing.app() starts without warnings.
test('a new app has no warnings', () => {
  expect(MeshWarnings.of(Testing.app()).all).toEqual([]);
});
