// Entry point of the validation plugins for cdk8s.yaml `validations` (package: ./lib/validation/cdk8s-plugin.js).
// The cdk8s CLI loads a local plugin with a plain `require` in its own process, which cannot read
// TypeScript: register the loader that scripts/run-app.js uses, then load the library from its
// source (MeshValidationPlugin, and MeshConfigValidationPlugin, which reads the mesh config).
'use strict';
require('../../scripts/ts-loader');
module.exports = require('../index.ts');
