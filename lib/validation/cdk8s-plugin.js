// Entry point of the validation plugin for cdk8s.yaml `validations` (package: ./lib/validation/cdk8s-plugin.js).
// The cdk8s CLI loads a local plugin with a plain `require` in its own process, which cannot read
// TypeScript: register the same type-stripping loader that scripts/run-app.js uses, then load the
// plugin from its source.
'use strict';
require('sucrase/register/ts');
module.exports = require('./mesh-validation-plugin.ts');
