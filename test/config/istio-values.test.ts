import { CrdSchemaValidator } from '../../lib';
import { generatedPropertyName, toIstioMeshConfig, toIstioValues } from '../../lib/config/istio-values';

/** A value for every field of a CRD schema node, so that a conversion is tried on all of them. */
function sampleOf(schema: Record<string, any>): unknown {
  if (schema['x-kubernetes-int-or-string'] || schema.anyOf) {
    return '1';
  }
  if (schema.enum) {
    return schema.enum[0];
  }
  switch (schema.type) {
    case 'string':
      return 'text';
    case 'integer':
    case 'number':
      return 7;
    case 'boolean':
      return true;
    case 'array':
      return [sampleOf(schema.items)];
    case 'object':
      if (schema.properties) {
        return Object.fromEntries(Object.entries<any>(schema.properties).map(([key, child]) => [key, sampleOf(child)]));
      }
      if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        return { 'some-key': sampleOf(schema.additionalProperties) };
      }
      return { anything: 1 };
    default:
      return 'text';
  }
}

describe('generatedPropertyName', () => {
  test.each([
    ['accessLogFile', 'accessLogFile'],
    ['meshMTLS', 'meshMtls'],
    ['enableIPv6', 'enableIPv6'],
    ['h2UpgradePolicy', 'h2UpgradePolicy'],
    ['x-forwarded-client-cert', 'xForwardedClientCert'],
    ['$ref', 'ref'],
    ['a', 'a'],
  ])('%s -> %s (as the cdk8s importer names it)', (name, expected) => {
    expect(generatedPropertyName(name)).toBe(expected);
  });
});

describe('toIstioValues and toIstioMeshConfig', () => {
  test('every field of the Sail Istio CRD\'s spec.values survives the conversion to the generated types and back', () => {
    // GIVEN a value for every field of spec.values (meshConfig included)
    const valuesSchema = CrdSchemaValidator.shared().rawSchema('sailoperator.io/v1', 'Istio').properties.spec.properties.values;
    const everything = sampleOf(valuesSchema) as Record<string, unknown>;
    expect(Object.keys(everything).length).toBeGreaterThan(10);
    // WHEN / THEN: the conversion proves itself by converting back, and throws on any loss
    expect(() => toIstioValues('controlPlane.values', everything)).not.toThrow();
  });

  test('renames to the generated property names and wraps int-or-string values', () => {
    // WHEN
    const meshConfig = toIstioMeshConfig('controlPlane.meshConfig', { meshMTLS: { minProtocolVersion: 'TLSV1_3' }, defaultConfig: { proxyMetadata: { ISTIO_META_DNS_CAPTURE: 'true' } } });
    const values = toIstioValues('controlPlane.values', { pilot: { resources: { requests: { cpu: '500m' } } } });
    // THEN
    expect(meshConfig).toEqual({ meshMtls: { minProtocolVersion: 'TLSV1_3' }, defaultConfig: { proxyMetadata: { ISTIO_META_DNS_CAPTURE: 'true' } } });
    expect((values.pilot?.resources?.requests?.cpu as any).value).toBe('500m');
  });

  test('a key the generated types do not carry is an error naming it, not a silent loss', () => {
    expect(() => toIstioMeshConfig('controlPlane.meshConfig', { accessLogFile: '/dev/stdout', notAField: 1 }))
      .toThrow(/^controlPlane\.meshConfig\.notAField: cannot be passed to the Sail Istio resource unchanged/);
  });
});
