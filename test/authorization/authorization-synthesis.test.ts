import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { AuthorizationMode, MeshSynthesis, MeshValidation, SidecarScoping, WorkloadIdentity } from '../../lib';
import { addBookinfo } from '../scoping/bookinfo';

function bookinfoApp(): { app: App; scoping: SidecarScoping } {
  const app = new App();
  // The root namespace the Sidecars name is the control plane's, which this app does not render.
  MeshValidation.of(app).addExternalNamespaces('istio-system');
  const scoping = new SidecarScoping(new Chart(app, 'workloads'), 'scoping', { authorization: AuthorizationMode.ENFORCE });
  addBookinfo(scoping);
  return { app, scoping };
}

describe('authorization through MeshSynthesis.ofApp', () => {
  let workdir: string;
  beforeEach(() => { workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'authz-synth-')); });
  afterEach(() => fs.rmSync(workdir, { recursive: true, force: true }));

  test('writes the access matrix beside the scope report, the policies checked against the declared workloads', () => {
    // GIVEN
    const { app } = bookinfoApp();
    const outdir = path.join(workdir, 'dist');
    // WHEN
    const result = MeshSynthesis.ofApp(app, { outdir }).synthesize();
    // THEN
    expect(result.report).toMatch(/^synth: /);
    expect(result.exitCode).toBe(0);
    expect(fs.readdirSync(path.join(outdir, 'reports')).sort()).toEqual(['access-matrix.json', 'access-matrix.md', 'scope-report.json', 'scope-report.md']);
    expect(JSON.parse(fs.readFileSync(path.join(outdir, 'reports', 'access-matrix.json'), 'utf8')).services.map((s: any) => `${s.service}:${s.callers.length}`))
      .toEqual(['details:1', 'productpage:0', 'ratings:1', 'reviews:1']);
  });

  test('refuses a principal of a service account nothing declares, and writes nothing', () => {
    // GIVEN
    const { app, scoping } = bookinfoApp();
    scoping.namespace('istio-demo').services[1].acceptCallsFrom(WorkloadIdentity.of('istio-demo', 'ghost'));
    const outdir = path.join(workdir, 'dist');
    // WHEN
    const result = MeshSynthesis.ofApp(app, { outdir }).synthesize();
    // THEN
    expect(result.exitCode).toBe(1);
    expect(result.report).toMatch(/AuthorizationPolicy\/istio-demo\/details-callers spec\.rules\[0\]\.from\[0\]\.source\.principals\[0\]: principal cluster\.local\/ns\/istio-demo\/sa\/ghost names service account ghost/);
    expect(fs.existsSync(outdir)).toBe(false);
  });
});
