#!/usr/bin/env node
// `npm run build`: compiles lib/ and imports/ to build/ (JavaScript and .d.ts) and copies the
// CRD schemas the validator reads at run time, and the plain JavaScript module of lib/.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { importAliases } = require('./import-aliases');

const root = path.resolve(__dirname, '..');
fs.rmSync(path.join(root, 'build'), { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
fs.cpSync(path.join(root, 'imports', 'crd-schemas'), path.join(root, 'build', 'imports', 'crd-schemas'), { recursive: true });
// Plain JavaScript beside the TypeScript (shared with scripts/ts-loader.js), which tsc does not emit.
for (const file of ['lib/core/cache-entry.js', 'lib/core/cache-entry.d.ts']) {
  fs.copyFileSync(path.join(root, file), path.join(root, 'build', file));
}
// `cdk8s-istio-mesh/imports/<alias>` (package.json exports `./imports/*`): a module per import of
// cdk8s.yaml, named like the import, that re-exports the generated file of that name.
for (const [alias, module] of Object.entries(importAliases(root))) {
  fs.writeFileSync(path.join(root, 'build', 'imports', `${alias}.js`), `'use strict';\nmodule.exports = require('./${module}');\n`);
  fs.writeFileSync(path.join(root, 'build', 'imports', `${alias}.d.ts`), `export * from './${module}';\n`);
}
console.log('build: build/lib and build/imports written');
