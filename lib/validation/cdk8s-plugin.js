// Entry point of the validation plugins for cdk8s.yaml `validations` (package: ./lib/validation/cdk8s-plugin.js).
// The cdk8s CLI loads a local plugin with a plain `require` in its own process, which cannot read
// TypeScript: register the loader that scripts/run-app.js uses, then load the two plugins from
// their source. Not the whole library: its constructs would double the CLI's load time, and the
// plugins load them only when they need them.
'use strict';
require('../../scripts/ts-loader');
const { MeshValidationPlugin } = require('./mesh-validation-plugin.ts');
const { MeshConfigValidationPlugin } = require('../config/mesh-config-validation-plugin.ts');

module.exports = { MeshValidationPlugin, MeshConfigValidationPlugin };
