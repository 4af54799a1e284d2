// The package's entry point for cdk8s.yaml `validations`: only the two plugins, since the cdk8s
// CLI loads a plugin into its own process and the whole library would double its start time.
//   - package: ./node_modules/cdk8s-istio-mesh/build/lib/cdk8s-plugin.js
export { MeshValidationPlugin } from './validation/mesh-validation-plugin';
export { MeshConfigValidationPlugin } from './config/mesh-config-validation-plugin';
