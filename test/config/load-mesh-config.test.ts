import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ConfigProblem, MeshConfigError, formatProblem, loadMeshConfig, parseMeshConfig, readMeshConfig } from '../../lib';

const problemsOf = (text: string): ConfigProblem[] => [...parseMeshConfig(text, 'mesh.yaml').problems];

describe('parseMeshConfig', () => {
  test('the guide\'s mesh.yaml reads into the spec, YAML order kept', () => {
    // GIVEN
    const text = fs.readFileSync(path.join(__dirname, '..', '..', 'mesh.yaml'), 'utf8');
    // WHEN
    const parsed = parseMeshConfig(text, 'mesh.yaml');
    // THEN
    expect(parsed.problems).toEqual([]);
    expect(parsed.spec?.controlPlane).toMatchObject({ version: '1.30.3', kubernetesVersion: '1.33', cni: { platform: 'default' } });
    expect(parsed.spec?.tracing).toEqual({ samplingPercent: 1, backend: { jaegerV2: { namespace: 'observability' } } });
    expect(Object.keys(parsed.spec?.workloads?.namespaces?.['istio-demo'].services ?? {})).toEqual(['productpage', 'details', 'reviews', 'ratings']);
  });

  test('a YAML syntax error carries its line and column', () => {
    // WHEN
    const [problem] = problemsOf('controlPlane:\n  profile: default\n  hub: [docker.io\n');
    // THEN
    expect(problem).toMatchObject({ path: '', line: 4, column: 1 });
    expect(problem.message).toMatch(/^invalid YAML: /);
    expect(formatProblem('mesh.yaml', problem)).toMatch(/^mesh\.yaml:4:1: invalid YAML: /);
  });

  test('an unknown key gets the closest allowed key, or the list of allowed keys', () => {
    expect(problemsOf('kiali: { webroot: /kiali }\n')).toEqual([{ path: 'kiali.webroot', message: "unknown key; did you mean 'webRoot'?" }]);
    const [unrelated] = problemsOf('mtls: { strictness: high }\n');
    expect(unrelated).toEqual({ path: 'mtls.strictness', message: 'unknown key; allowed here: mode' });
  });

  test('keys of maps and lists appear in the key path', () => {
    // WHEN
    const problems = problemsOf('workloads:\n  namespaces:\n    shop:\n      services:\n        cart: { ports: [8080, "http"] }\n');
    // THEN
    expect(problems).toEqual([{ path: 'workloads.namespaces.shop.services.cart.ports[1]', message: "must be a number, got a string 'http'" }]);
  });

  test('every problem of the document is returned, in a stable order', () => {
    // GIVEN
    const text = 'controlPlane: { profile: defualt, namespace: 7 }\ntracing: { samplingPercent: 101, backend: {} }\nextra: true\n';
    // WHEN
    const first = problemsOf(text);
    const second = problemsOf(text);
    // THEN
    expect(first.map((problem) => problem.path)).toEqual(['controlPlane.profile', 'controlPlane.namespace', 'tracing.samplingPercent', 'tracing.backend', 'extra']);
    expect(second).toEqual(first);
    expect(first[0].message).toBe("must be one of ambient, default, demo, empty, minimal, openshift, openshift-ambient, preview, remote, stable, got 'defualt'; did you mean 'default'?");
    expect(first[3].message).toBe('must set exactly one of jaegerV2, jaeger, external, got none');
  });

  test('meshConfig and values in Istio\'s own spelling pass when the Sail CRD accepts them', () => {
    // WHEN
    const problems = problemsOf([
      'controlPlane:',
      '  meshConfig:',
      '    accessLogFile: /dev/stdout',
      '    meshMTLS: { minProtocolVersion: TLSV1_3 }',
      '    defaultConfig: { proxyMetadata: { ISTIO_META_DNS_CAPTURE: "true" } }',
      '  values:',
      '    pilot: { env: { PILOT_ENABLE_STATUS: "true" }, resources: { requests: { cpu: 500m } } }',
      '',
    ].join('\n'));
    // THEN
    expect(problems).toEqual([]);
  });

  test('meshConfig and values the Sail CRD rejects are problems at their key path', () => {
    // WHEN
    const problems = problemsOf('controlPlane:\n  meshConfig: { enableTracing: "yes" }\n  values: { pilto: {} }\n');
    // THEN
    expect(problems).toEqual([
      { path: 'controlPlane.meshConfig.enableTracing', message: "must be boolean, got 'yes' (Sail Istio CRD schema)" },
      { path: 'controlPlane.values.pilto', message: "unknown key of the Sail Istio CRD's spec.values; did you mean 'pilot'?" },
    ]);
  });
});

describe('readMeshConfig and loadMeshConfig', () => {
  let workdir: string;
  beforeEach(() => {
    workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'load-mesh-config-'));
  });
  afterEach(() => fs.rmSync(workdir, { recursive: true, force: true }));

  test('a valid file loads', () => {
    // GIVEN
    const file = path.join(workdir, 'mesh.yaml');
    fs.writeFileSync(file, 'controlPlane: { revision: canary }\nmtls: { mode: PERMISSIVE }\n');
    // WHEN
    const spec = loadMeshConfig(file);
    // THEN
    expect(spec).toEqual({ controlPlane: { revision: 'canary' }, mtls: { mode: 'PERMISSIVE' } });
  });

  test('a directory is not a config file', () => {
    expect(readMeshConfig(workdir).problems).toEqual([{ path: '', message: expect.stringMatching(/^is a directory, not a file/) }]);
  });

  test('loadMeshConfig throws a MeshConfigError that lists every problem with the file name', () => {
    // GIVEN
    const file = path.join(workdir, 'mesh.yaml');
    fs.writeFileSync(file, 'tracing: { samplingPercent: 200, backend: { jaegerV2: { replicas: "two" } } }\n');
    // WHEN
    let thrown: unknown;
    try {
      loadMeshConfig(file);
    } catch (error) {
      thrown = error;
    }
    // THEN
    expect(MeshConfigError.isMeshConfigError(thrown)).toBe(true);
    const error = thrown as MeshConfigError;
    expect(error.problems).toHaveLength(2);
    expect(error.message).toBe([
      `${file} has 2 problems:`,
      `  ${file}: tracing.samplingPercent: must be <= 100, got 200`,
      `  ${file}: tracing.backend.jaegerV2.replicas: must be a number, got a string 'two'`,
    ].join('\n'));
  });
});
