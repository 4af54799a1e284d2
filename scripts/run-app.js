#!/usr/bin/env node
// Runs main.ts without type-checking it: sucrase strips the types in milliseconds, where a
// type-checking loader would re-check megabytes of generated imports on every synth. Types are
// checked once by `npm run build` and `npm test`.
'use strict';
require('sucrase/register/ts');
require('../main.ts');
