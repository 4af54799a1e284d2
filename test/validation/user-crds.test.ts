import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import { HttpRoute } from '../../imports/gateway-api-httproute-gateway.networking.k8s.io';
import { Manifest, MeshValidation, crdFilesOfCdk8sYaml, validateManifests } from '../../lib';
import { widgetCrd } from '../helpers/crds';
import { synthValid } from '../helpers/manifests';

/** example.com/v1 Widget with an integer size. */
const WIDGET_CRD = widgetCrd({ type: 'object', required: ['size'], properties: { size: { type: 'integer', minimum: 1 } } });

const widget = (spec: unknown): Manifest => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'shop' }, spec });

describe('CRDs a consumer brings', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'user-crds-'));
    fs.mkdirSync(path.join(dir, 'crds', 'nested'), { recursive: true });
    // a bundle as operators ship them: the CRD beside a Namespace, in a folder below the given one
    fs.writeFileSync(path.join(dir, 'crds', 'nested', 'widget.yaml'), yaml.dump({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'widgets' } }) + '---\n' + yaml.dump(WIDGET_CRD));
    fs.writeFileSync(path.join(dir, 'crds', 'README.txt'), 'not a CRD');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('an unknown kind tells a consumer how to add its CRD or leave it unchecked', () => {
    expect(validateManifests([widget({ size: 2 })])).toEqual([{
      object: 'Widget/shop/w',
      path: '(root)',
      message: expect.stringMatching(/^no schema known for example\.com\/v1\/Widget: .*add its CRD file or folder to the validation \(crds of validateApp\/validateMesh, MeshValidation\.of\(app\)\.addCrds\(\.\.\.\), validation\.crds in mesh\.yaml; .*uncheckedKinds: \['example\.com\/Widget'\]\)$/),
    }]);
    expect(validateManifests([widget({ size: 2 })])[0].message).not.toMatch(/npm run import/);
  });

  test.each([
    ['a file', () => path.join(dir, 'crds', 'nested', 'widget.yaml')],
    ['a folder', () => path.join(dir, 'crds')],
  ])('given as %s, its kinds are checked against it', (_name, source) => {
    // GIVEN / WHEN
    const crds = [source()];
    // THEN a valid Widget passes and a bad one fails at the field
    expect(validateManifests([widget({ size: 2 })], { crds })).toEqual([]);
    expect(validateManifests([widget({ size: 0, colour: 'red' })], { crds })).toEqual([
      { object: 'Widget/shop/w', path: 'spec', message: "unknown field 'colour'" },
      { object: 'Widget/shop/w', path: 'spec.size', message: 'must be >= 1' },
    ]);
  });

  test("a consumer's CRD of a shipped kind wins: the cluster's version is the one that judges", () => {
    // GIVEN a cluster whose ServiceMonitor CRD knows only spec.selector
    const strict = { ...WIDGET_CRD, metadata: { name: 'servicemonitors.monitoring.coreos.com' }, spec: { ...WIDGET_CRD.spec, group: 'monitoring.coreos.com', names: { kind: 'ServiceMonitor', plural: 'servicemonitors' }, versions: [{ ...WIDGET_CRD.spec.versions[0], schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { selector: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } } } } } }] } };
    fs.writeFileSync(path.join(dir, 'servicemonitor.yaml'), yaml.dump(strict));
    const monitor: Manifest = { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'm', namespace: 'monitoring' }, spec: { selector: {}, endpoints: [{ port: 'http' }] } };
    // WHEN / THEN
    expect(validateManifests([monitor])).toEqual([]);
    expect(validateManifests([monitor], { crds: [path.join(dir, 'servicemonitor.yaml')] })).toEqual([{ object: 'ServiceMonitor/monitoring/m', path: 'spec', message: "unknown field 'endpoints'" }]);
  });

  test('unchecked kinds are left out of the schema check, by kind or by group, and a malformed entry is refused', () => {
    expect(validateManifests([widget({ size: 'big' })], { uncheckedKinds: ['example.com/Widget'] })).toEqual([]);
    expect(validateManifests([widget({ size: 'big' })], { uncheckedKinds: ['example.com/*'] })).toEqual([]);
    expect(validateManifests([widget({ size: 'big' })], { uncheckedKinds: ['other.example.com/*'] })).toHaveLength(1);
    expect(() => validateManifests([widget({})], { uncheckedKinds: ['Widget'] })).toThrow(/uncheckedKinds: 'Widget' must be group\/Kind \(example\.com\/Widget\)/);
  });

  test("the CRDs of a cdk8s project's imports, local files only", () => {
    // GIVEN a cdk8s.yaml as `cdk8s init` and `cdk8s import` leave it
    fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), yaml.dump({ language: 'typescript', app: 'npx ts-node main.ts', imports: ['k8s', 'widgets:=crds/nested/widget.yaml'] }));
    // WHEN
    const files = crdFilesOfCdk8sYaml(path.join(dir, 'cdk8s.yaml'));
    // THEN
    expect(files).toEqual([path.join(dir, 'crds', 'nested', 'widget.yaml')]);
    expect(validateManifests([widget({ size: 'big' })], { cdk8sImports: path.join(dir, 'cdk8s.yaml') })).toEqual([{ object: 'Widget/shop/w', path: 'spec.size', message: 'must be integer' }]);
    fs.writeFileSync(path.join(dir, 'remote.yaml'), yaml.dump({ imports: ['https://example.com/crds.yaml'] }));
    expect(() => crdFilesOfCdk8sYaml(path.join(dir, 'remote.yaml'))).toThrow(/import 'https:\/\/example\.com\/crds\.yaml' is not a local file and cannot be read offline: download the CRD/);
  });

  test('a source that does not exist or holds no CRD is named', () => {
    expect(() => validateManifests([], { crds: [path.join(dir, 'missing.yaml')] })).toThrow(/CRD source .*missing\.yaml does not exist/);
    fs.mkdirSync(path.join(dir, 'empty'));
    expect(() => validateManifests([], { crds: [path.join(dir, 'empty')] })).toThrow(/CRD source .*empty holds no CustomResourceDefinition/);
  });

  test("MeshValidation.addCrds: the app's synthesis checks its custom resources against them", () => {
    // GIVEN an app with a Widget
    const app = Testing.app();
    const validation = MeshValidation.of(app);
    const chart = new Chart(app, 'widgets');
    new ApiObject(chart, 'ns', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    new ApiObject(chart, 'widget', { ...widget({ size: 0 }) });
    // WHEN / THEN without the CRD, the kind is unknown; with it, the bad size is found
    expect(() => app.synth()).toThrow(/no schema known for example\.com\/v1\/Widget/);
    validation.addCrds(path.join(dir, 'crds'));
    expect(() => app.synth()).toThrow(/Widget\/shop\/w spec\.size: must be >= 1/);
    validation.addUncheckedKinds('example.com/Widget');
    expect(() => app.synth()).not.toThrow();
  });
});

describe('Gateway API v1.5.1 (standard channel) is shipped', () => {
  test('an HTTPRoute from the typed imports passes, a bad one fails at the field', () => {
    // GIVEN
    const chart = Testing.chart();
    MeshValidation.disable(chart);
    new HttpRoute(chart, 'route', {
      metadata: { name: 'shop', namespace: 'shop' },
      spec: { parentRefs: [{ name: 'ingress', namespace: 'istio-ingress' }], hostnames: ['shop.example.com'], rules: [{ backendRefs: [{ name: 'productpage', port: 9080 }] }] },
    });
    // WHEN / THEN
    expect(synthValid(chart).map((m) => `${m.apiVersion}/${m.kind}`)).toEqual(['gateway.networking.k8s.io/v1/HTTPRoute']);
    const bad: Manifest = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'shop', namespace: 'shop' }, spec: { rules: [{ backendRefs: [{ name: 'productpage', port: 70000 }] }] } };
    expect(validateManifests([bad])).toEqual([{ object: 'HTTPRoute/shop/shop', path: 'spec.rules[0].backendRefs[0].port', message: 'must be <= 65535' }]);
  });

  test.each(['GatewayClass', 'Gateway', 'HTTPRoute', 'GRPCRoute', 'TLSRoute', 'ReferenceGrant', 'BackendTLSPolicy', 'ListenerSet'])('%s has a v1 schema', (kind) => {
    expect(validateManifests([{ apiVersion: 'gateway.networking.k8s.io/v1', kind, metadata: { name: 'x', namespace: 'y' } }])
      .filter((violation) => violation.message.startsWith('no schema known'))).toEqual([]);
  });
});
