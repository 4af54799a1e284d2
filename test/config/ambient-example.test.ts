import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { MeshSpec, MeshWarningCode, MeshWarnings, readManifestFiles } from '../../lib';
import { findOne } from '../helpers/manifests';
import { buildValidated } from '../helpers/mesh-build';

const exampleDir = path.join(__dirname, '..', '..', 'examples', 'ambient');
const example = (): MeshSpec => yaml.load(fs.readFileSync(path.join(exampleDir, 'mesh.yaml'), 'utf8')) as MeshSpec;

describe('the ambient example', () => {
  test('ztunnel, CNI and the control plane in their apply phases, and istiod trusts ztunnel\'s namespace', () => {
    // GIVEN the committed output
    const files = readManifestFiles(path.join(exampleDir, 'dist'));
    const inFile = (file: string) => files.find((f) => f.file === file)!.manifests;
    // THEN
    expect(inFile('30-control-plane.k8s.yaml').map((m) => m.kind)).toEqual(['Istio']);
    expect(inFile('33-cni.k8s.yaml').map((m) => m.kind)).toEqual(['IstioCNI']);
    expect(inFile('36-ztunnel.k8s.yaml').map((m) => m.kind)).toEqual(['ZTunnel']);
    const istio = findOne(inFile('30-control-plane.k8s.yaml'), 'Istio');
    expect(istio.spec.profile).toBe('ambient');
    expect(istio.spec.values.pilot.trustedZtunnelNamespace).toBe('ztunnel');
    expect(findOne(inFile('33-cni.k8s.yaml'), 'IstioCNI').spec.profile).toBe('ambient');
    expect(findOne(inFile('36-ztunnel.k8s.yaml'), 'ZTunnel').spec).toMatchObject({ namespace: 'ztunnel', targetRef: { kind: 'Istio', name: 'default' } });
  });

  test('labels: shop and payments ambient (shop through its waypoint), legacy injected; Sidecars only for legacy and the root', () => {
    // WHEN
    const { manifests, byChart } = buildValidated(example());
    // THEN
    const labels = (name: string) => findOne(manifests, 'Namespace', name).metadata.labels;
    expect(labels('shop')).toEqual({ 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'waypoint' });
    expect(labels('payments')).toEqual({ 'istio.io/dataplane-mode': 'ambient' });
    expect(labels('legacy')).toEqual({ 'istio-injection': 'enabled' });
    expect(manifests.filter((m) => m.kind === 'Sidecar').map((m) => m.metadata?.namespace).sort()).toEqual(['istio-system', 'legacy']);
    expect(byChart.workloads.filter((m) => m.kind === 'Gateway')).toMatchSnapshot();
    const waypoint = findOne(manifests, 'Gateway', 'waypoint');
    expect(waypoint.metadata.namespace).toBe('shop');
    expect(waypoint.spec).toEqual({ gatewayClassName: 'istio-waypoint', listeners: [{ name: 'mesh', port: 15008, protocol: 'HBONE' }] });
  });

  test('metrics and dashboards cover ztunnel and the waypoint; spans go over OTLP from the waypoint', () => {
    const { manifests, mesh } = buildValidated(example());
    expect(findOne(manifests, 'PodMonitor', 'ztunnel').spec).toMatchObject({ namespaceSelector: { matchNames: ['ztunnel'] }, podMetricsEndpoints: [{ port: 'ztunnel-stats' }] });
    // the waypoint is an Envoy with http-envoy-prom: the envoy-stats monitor selects it in every namespace
    expect(findOne(manifests, 'PodMonitor', 'envoy-stats').spec.namespaceSelector).toEqual({ any: true });
    expect(manifests.filter((m) => m.kind === 'GrafanaDashboard').map((m) => (m as any).spec.grafanaCom.id)).toContain(21306);
    expect(findOne(manifests, 'Istio').spec.values.meshConfig.extensionProviders[0].opentelemetry.port).toBe(4317);
    expect(MeshWarnings.of(mesh.charts[0]).all.map((w) => w.code)).toContain(MeshWarningCode.GATEWAY_API_CRDS);
  });

  test('the scope report and MESH.md tell the ambient namespaces apart', () => {
    const report = JSON.parse(fs.readFileSync(path.join(exampleDir, 'dist', 'reports', 'scope-report.json'), 'utf8'));
    expect(report.namespaces.map((ns: any) => ns.namespace)).toEqual(['legacy']);
    expect(report.ambientNamespaces).toEqual(['payments', 'shop']);
    const diagram = fs.readFileSync(path.join(exampleDir, 'dist', 'MESH.md'), 'utf8');
    expect(diagram).toMatch(/^ {2}ns_shop\(\["<b>shop<\/b><br\/>L7 through waypoint waypoint<br\/>.*waypoint waypoint \(L7 proxy, for service\)"\]\)$/m);
    expect(diagram).toMatch(/^ {2}ns_legacy\["<b>legacy<\/b>"\]$/m);
  });
});
