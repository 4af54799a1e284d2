#!/usr/bin/env node
// Runs a TypeScript file of the benchmark with the loader `npm run synth` uses (scripts/run-app.js),
// with process.argv as if node had run the file itself.
'use strict';
const path = require('path');
require('../scripts/ts-loader');
process.argv.splice(1, 1);
require(path.resolve(process.argv[1]));
