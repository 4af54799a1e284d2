import { CrdSchemaValidator, validateManifests } from '../../lib';

const validator = CrdSchemaValidator.shared();

function sidecar(spec: Record<string, unknown>) {
  return { apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: { name: 'default', namespace: 'shop' }, spec };
}

describe('CrdSchemaValidator', () => {
  test('accepts a valid custom resource', () => {
    // GIVEN a Sidecar as the Istio CRD defines it
    const manifest = sidecar({ egress: [{ hosts: ['./*', 'istio-system/*'] }] });
    // THEN
    expect(validator.validate(manifest)).toEqual([]);
  });

  test('rejects an unknown field with its path', () => {
    // GIVEN a typo in a nested field
    const manifest = sidecar({ egress: [{ hostz: ['./*'] }] });
    // WHEN
    const violations = validator.validate(manifest);
    // THEN
    expect(violations).toContainEqual({ object: 'Sidecar/shop/default', path: 'spec.egress[0]', message: "unknown field 'hostz'" });
  });

  test('rejects a wrong type and a value outside an enum', () => {
    // GIVEN
    const manifest = sidecar({ egress: [{ hosts: 'not-a-list' }], outboundTrafficPolicy: { mode: 'SOMETIMES' } });
    // WHEN
    const messages = validator.validate(manifest).map((v) => `${v.path}: ${v.message}`);
    // THEN
    expect(messages).toEqual(expect.arrayContaining([
      'spec.egress[0].hosts: must be array',
      expect.stringMatching(/^spec.outboundTrafficPolicy.mode: must be one of .*REGISTRY_ONLY/),
    ]));
  });

  test('accepts int-or-string fields as either', () => {
    // GIVEN a ServiceMonitor whose targetPort is int-or-string
    const monitor = (targetPort: number | string) => ({
      apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'm', namespace: 'monitoring' },
      spec: { selector: {}, endpoints: [{ targetPort }] },
    });
    // THEN
    expect(validator.validate(monitor(15014))).toEqual([]);
    expect(validator.validate(monitor('http-monitoring'))).toEqual([]);
    expect(validator.validate(monitor(true as unknown as number))).not.toEqual([]);
  });

  test('keeps fields that the schema preserves', () => {
    // GIVEN a Jaeger whose options are free-form (x-kubernetes-preserve-unknown-fields)
    const jaeger = {
      apiVersion: 'jaegertracing.io/v1', kind: 'Jaeger', metadata: { name: 'jaeger', namespace: 'observability' },
      spec: { strategy: 'allInOne', allInOne: { options: { 'collector.zipkin.host-port': ':9411' } } },
    };
    // THEN
    expect(validator.validate(jaeger)).toEqual([]);
  });

  test('checks each object fully, whatever fields objects of its kind set before', () => {
    // GIVEN a valid Sidecar first, then Sidecars of other shapes: a required field missing, a wrong type
    expect(validator.validate(sidecar({ egress: [{ hosts: ['./*'] }] }))).toEqual([]);
    const missingHosts = sidecar({ egress: [{ bind: '127.0.0.1' }] });
    const wrongPort = sidecar({ ingress: [{ port: { number: 'http' }, defaultEndpoint: '127.0.0.1:8080' }] });
    // WHEN
    const messages = [...validator.validate(missingHosts), ...validator.validate(wrongPort)].map((v) => `${v.path}: ${v.message}`);
    // THEN
    expect(messages).toEqual(expect.arrayContaining([
      "spec.egress[0]: must have required property 'hosts'",
      'spec.ingress[0].port.number: must be integer',
    ]));
  });

  test('compiles only what a big CRD object uses', () => {
    // GIVEN a Jaeger, whose full schema takes seconds to compile
    const jaeger = {
      apiVersion: 'jaegertracing.io/v1', kind: 'Jaeger', metadata: { name: 'jaeger', namespace: 'observability' },
      spec: { strategy: 'production', collector: { replicas: 2, resourcez: {} } },
    };
    // WHEN
    const started = Date.now();
    const violations = validator.validate(jaeger);
    // THEN
    expect(violations).toEqual([{ object: 'Jaeger/observability/jaeger', path: 'spec.collector', message: "unknown field 'resourcez'" }]);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  test('refuses to pass a kind it has no schema for', () => {
    expect(() => validator.validate({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } }))
      .toThrow(/no CRD schema for example.com\/v1\/Widget/);
  });
});

describe('validateManifests', () => {
  test('checks IstioOperator meshConfig and values against the Sail schema', () => {
    // GIVEN an IstioOperator with a misspelled meshConfig field and a bad values type
    const iop = {
      apiVersion: 'install.istio.io/v1alpha1', kind: 'IstioOperator', metadata: { name: 'control-plane', namespace: 'istio-system' },
      spec: {
        meshConfig: { enableTracing: true, enableTrazing: true },
        values: { global: { hub: 42 }, cni: { cniBinDir: '/opt/cni/bin', chained: 'yes' }, gateways: { 'istio-ingressgateway': { injectionTemplate: 'gateway' } } },
      },
    };
    // WHEN
    const found = validateManifests([iop]).map((v) => `${v.path}: ${v.message.replace(/ \(.*\)$/, '')}`);
    // THEN
    expect(found).toEqual([
      "spec.meshConfig: unknown field 'enableTrazing'",
      'spec.values.global.hub: must be string',
      'spec.values.cni.chained: must be boolean',
    ]);
  });

  test('IstioOperator values.cni.resourceQuotas is checked in the chart\'s spelling; Sail\'s resource_quotas, which the chart ignores, is refused', () => {
    // GIVEN
    const iop = (cni: Record<string, unknown>) => ({
      apiVersion: 'install.istio.io/v1alpha1', kind: 'IstioOperator', metadata: { name: 'control-plane', namespace: 'istio-system' },
      spec: { values: { cni } },
    });
    // WHEN / THEN
    expect(validateManifests([iop({ resourceQuotas: { enabled: true, pods: 5000 } })])).toEqual([]);
    expect(validateManifests([iop({ resourceQuotas: { enabled: 'yes' } })]).map((v) => `${v.path}: ${v.message.replace(/ \(spec\.tag .*\)$/, '')}`))
      .toEqual(['spec.values.cni.resourceQuotas.enabled: must be boolean']);
    expect(validateManifests([iop({ resource_quotas: { enabled: true } })]).map((v) => `${v.path}: ${v.message.replace(/ \(spec\.tag .*\)$/, '')}`))
      .toEqual(["spec.values.cni.resource_quotas: unknown field 'resource_quotas': the istio-cni chart reads resourceQuotas"]);
  });

  test.each([
    ['1.23.6', /^unknown field 'enableTrazing' \(checked against the Sail operator's typed Istio values \(its CRD lists Istio 1\.21\.6 to 1\.30\.3\), which Sail uses for Istio 1\.23 too\)$/],
    ['1.30.3-distroless', /which Sail uses for Istio 1\.30 too\)$/],
    ['1.20.8', /\(no typed schema of Istio 1\.20\.8 is at hand: checked against the Sail operator's typed Istio values \(its CRD lists Istio 1\.21\.6 to 1\.30\.3\), the nearest; a field added after 1\.20\.8 is not refused\)$/],
    ['1.31.0', /\(no typed schema of Istio 1\.31\.0 is at hand: .*the nearest; a field added after 1\.30\.3 is refused as unknown\)$/],
    ['latest', /\(spec\.tag "latest" names no Istio release, so it was checked against .*the newest typed schema at hand\)$/],
  ])('an IstioOperator of tag %s: the finding says which typed schema judged it and how well it fits', (tag, expected) => {
    const iop = { apiVersion: 'install.istio.io/v1alpha1', kind: 'IstioOperator', metadata: { name: 'control-plane' }, spec: { tag, meshConfig: { enableTrazing: true } } };
    expect(validateManifests([iop])).toEqual([{ object: 'IstioOperator/control-plane', path: 'spec.meshConfig', message: expect.stringMatching(expected) }]);
  });
});
