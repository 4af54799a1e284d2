#!/usr/bin/env node
// Runs main.ts without type-checking it (scripts/ts-loader.js: sucrase, with an on-disk cache):
// a type-checking loader would re-check megabytes of generated imports on every synth. Types are
// checked once by `npm run build` and `npm test`.
'use strict';
require('./ts-loader');
require('../main.ts');
