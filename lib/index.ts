export * from './core/mesh-namespace';
export * from './core/names';
export * from './core/service-endpoint';
export * from './istio/istio-version';
export * from './output/atomic-output';
export * from './tracing/mesh-tracing';
export * from './validation/crd-schema-validator';
export * from './validation/validate-manifests';
