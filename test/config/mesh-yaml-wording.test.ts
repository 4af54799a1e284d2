import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { MESH_YAML_WORDING } from '../../lib/config/mesh-yaml-wording';
import { runSynth } from './run-synth';

const root = path.resolve(__dirname, '..', '..');

/** Names of the TypeScript API that mean nothing to a mesh.yaml user. */
const TYPESCRIPT_WORDS = /MeshNamespace|SidecarScoping|addExternalNamespaces|MeshValidation|as extensionProviders|externalHosts|by reference/;

describe('findings in mesh.yaml words', () => {
  test('every fix the table rewords is still written by the mesh analysis, and no rewording speaks TypeScript', () => {
    // The analysis builds its messages from literals split over lines: compare without the joins.
    const analysis = fs.readFileSync(path.join(root, 'lib', 'validation', 'mesh-analysis.ts'), 'utf8').replace(/'\s*\n\s*\+\s*'|`\s*\n\s*\+\s*'|'\s*\n\s*\+\s*`/g, '');
    for (const [typescript, meshYaml] of MESH_YAML_WORDING) {
      expect({ typescript, written: analysis.includes(typescript) }).toEqual({ typescript, written: true });
      expect(meshYaml).not.toMatch(TYPESCRIPT_WORDS);
    }
  });

  test('a mesh.yaml whose output fails the checks reports the fix with mesh.yaml keys', () => {
    // GIVEN the existing-observability example without its external namespace: the tracing URL
    // points into a namespace that nothing declares
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wording-'));
    try {
      const config = fs.readFileSync(path.join(root, 'examples', 'existing-observability', 'mesh.yaml'), 'utf8').replace(/^externalNamespaces: \[tracing\]$/m, '');
      const configPath = path.join(dir, 'mesh.yaml');
      fs.writeFileSync(configPath, config);
      // WHEN
      const result = runSynth({ configPath, outdir: path.join(dir, 'dist') });
      // THEN
      expect(result.exitCode).toBe(1);
      expect(result.report).toMatch(/points at Service 'otel-collector' in namespace 'tracing', which the output does not define \(nor namespace 'tracing'\): fix the URL or the name, or list the namespace in the top-level externalNamespaces of the config/);
      expect(result.report).not.toMatch(TYPESCRIPT_WORDS);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
