import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { MeshSpec } from '../../lib';
import { findOne } from '../helpers/manifests';
import { buildValidated, problemsOf } from '../helpers/mesh-build';

const guideMesh = (): any => yaml.load(fs.readFileSync(path.join(__dirname, '..', '..', 'mesh.yaml'), 'utf8'));

describe('mesh.yaml tracing.protocol', () => {
  test('otlp: the opentelemetry provider to Jaeger v2 on 4317, selected by the mesh-wide Telemetry, reached by every Sidecar', () => {
    // GIVEN the guide's mesh over OTLP
    const spec = guideMesh();
    spec.tracing.protocol = 'otlp';
    // WHEN
    const { byChart } = buildValidated(spec as MeshSpec);
    // THEN
    const meshConfig = findOne(byChart.istio, 'Istio').spec.values.meshConfig;
    expect(meshConfig.extensionProviders).toEqual([{ name: 'otel', opentelemetry: { service: 'jaeger-collector.observability.svc.cluster.local', port: 4317 } }]);
    expect(findOne(byChart.istio, 'Telemetry').spec.tracing[0].providers).toEqual([{ name: 'otel' }]);
    const sidecars = byChart.workloads.filter((m) => m.kind === 'Sidecar');
    expect(sidecars.length).toBeGreaterThan(0);
    for (const sidecar of sidecars) {
      expect((sidecar.spec as any).egress[0].hosts).toContain('observability/jaeger-collector.observability.svc.cluster.local');
    }
  });

  test('zipkin stays the default', () => {
    const { byChart } = buildValidated(guideMesh() as MeshSpec);
    const providers = findOne(byChart.istio, 'Istio').spec.values.meshConfig.extensionProviders;
    expect(providers.map((p: any) => Object.keys(p).sort())).toEqual([['name', 'zipkin']]);
  });

  test.each([
    ['otlp to Jaeger v1', (m: any) => { m.tracing.protocol = 'otlp'; m.tracing.backend = { jaeger: {} }; }, 'tracing.protocol', /otlp needs a backend that receives OTLP \(tracing\.backend\.jaegerV2, on 4317\).*use protocol zipkin/],
    ['otlp in the legacy meshConfig mode', (m: any) => { m.tracing.protocol = 'otlp'; m.tracing.mode = 'MESH_CONFIG'; }, 'tracing.mode', /has no OTLP form/],
  ])('refuses %s with its key path', (_name, change, keyPath, message) => {
    const spec = guideMesh();
    change(spec);
    expect(problemsOf(spec)).toEqual([{ path: keyPath, message: expect.stringMatching(message) }]);
  });
});
