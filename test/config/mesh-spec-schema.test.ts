import * as fs from 'fs';
import * as path from 'path';
import { parseMeshConfig } from '../../lib';

// The generator is a build script (plain JavaScript), run here as `npm run config-schema` runs it.
const generator = require('../../scripts/config-schema.js');

const root = path.resolve(__dirname, '..', '..');

describe('lib/config/mesh-spec.schema.json and docs/mesh-yaml.md', () => {
  let schema: any;
  beforeAll(() => {
    schema = generator.generateMeshSpecSchema();
  }, 60_000);

  test('the committed schema is what MeshSpec generates (run `npm run config-schema` after a change)', () => {
    expect(fs.readFileSync(generator.SCHEMA_FILE, 'utf8')).toEqual(generator.renderSchemaFile(schema));
  });

  test('the committed reference is what the schema renders (run `npm run config-schema` after a change)', () => {
    expect(fs.readFileSync(generator.DOCS_FILE, 'utf8')).toEqual(generator.renderMeshYamlReference(schema));
  });

  test('descriptions and defaults come from the constructs\' props', () => {
    const controlPlane = schema.definitions.ControlPlaneSpec.properties;
    // GIVEN IstioControlPlaneProps.hub: "Image registry, e.g. a mirror ... @default - the installer's own ..."
    expect(controlPlane.hub).toMatchObject({ type: 'string', 'x-default': expect.stringMatching(/^the installer's own/) });
    expect(controlPlane.hub.description).toMatch(/^Image registry, e\.g\. a mirror/);
    // an enum member named as a default becomes its YAML value
    expect(controlPlane.profile.default).toBe('default');
    expect(schema.definitions.IngressGatewaySpec.properties.serviceType.default).toBe('LoadBalancer');
    // a default in words is documentation, not a value
    expect(controlPlane.pilot.default).toBeUndefined();
    expect(controlPlane.pilot['x-default']).toBe("the chart's defaults");
    // ZipkinMeshTracingOptions.samplingPercent's range
    expect(schema.definitions.TracingSpec.properties.samplingPercent).toMatchObject({ minimum: 0, maximum: 100, default: 1 });
  });

  test('every key is described and closed to unknown keys', () => {
    const undocumented: string[] = [];
    const open: string[] = [];
    for (const [name, definition] of Object.entries<any>(schema.definitions)) {
      if (definition.type !== 'object' || !definition.properties) {
        continue;
      }
      if (definition.additionalProperties !== false) {
        open.push(name);
      }
      for (const [key, property] of Object.entries<any>(definition.properties)) {
        const target = property.$ref ? schema.definitions[property.$ref.replace('#/definitions/', '')] : property;
        if (!property.description && !target.description) {
          undocumented.push(`${name}.${key}`);
        }
      }
    }
    expect(undocumented).toEqual([]);
    expect(open).toEqual([]);
  });

  test('the reference lists every top-level key and every part', () => {
    const reference = fs.readFileSync(generator.DOCS_FILE, 'utf8');
    for (const key of Object.keys(schema.definitions.MeshSpec.properties)) {
      expect(reference).toContain(`| \`${key}\` |`);
    }
    for (const section of ['controlPlane.cni', 'tracing.backend.jaegerV2', 'metrics.prometheus.server', 'dashboards.grafana.instance', 'workloads.namespaces.<name>.services.<name>']) {
      expect(reference).toContain(`## ${section}\n`);
    }
  });

  test('a key of several forms names each, and each object form has its section', () => {
    // GIVEN the reference, WHEN a key takes a string or an object (a service's calls)
    const reference = fs.readFileSync(generator.DOCS_FILE, 'utf8');
    // THEN its type names both forms and links the object's keys, and no type reads 'undefined'
    expect(reference).toContain('| `calls` | list of string or [object](#workloads-namespaces-name-services-name-calls) |');
    expect(reference).toContain('## workloads.namespaces.<name>.services.<name>.calls[]\n');
    expect(reference).toContain('| `to` | string | **required** |');
    expect(reference).not.toMatch(/\| [^|]*\bundefined\b[^|]* \| [^|]* \| [^|]* \|$/m);
  });

  test('mesh.yaml passes the schema', () => {
    const parsed = parseMeshConfig(fs.readFileSync(path.join(root, 'mesh.yaml'), 'utf8'), 'mesh.yaml');
    expect(parsed.problems).toEqual([]);
  });
});
