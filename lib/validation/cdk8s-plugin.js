// Entry point of the validation plugins for this repository's cdk8s.yaml `validations`
// (package: ./lib/validation/cdk8s-plugin.js). The cdk8s CLI loads a local plugin with a plain
// `require` in its own process, which cannot read TypeScript: register the loader that
// scripts/run-app.js uses, then load the plugins' entry point (lib/cdk8s-plugin.ts, which the
// package ships compiled as build/lib/cdk8s-plugin.js) from its source.
'use strict';
require('../../scripts/ts-loader');
module.exports = require('../cdk8s-plugin.ts');
