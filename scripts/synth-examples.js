#!/usr/bin/env node
// Synthesizes every examples/<name>/mesh.yaml into examples/<name>/dist, as `npm run synth` does
// for the project's own mesh.yaml (test/examples.test.ts checks the committed output is current).
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const examples = path.join(root, 'examples');
let failed = 0;
for (const name of fs.readdirSync(examples).sort()) {
  const config = path.join('examples', name, 'mesh.yaml');
  if (!fs.existsSync(path.join(root, config))) {
    continue;
  }
  const result = spawnSync(process.execPath, [path.join(__dirname, 'run-app.js')], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, MESH_CONFIG: config, MESH_OUTDIR: path.join('examples', name, 'dist'), CDK8S_OUTDIR: '' },
  });
  const firstLine = (result.status === 0 ? result.stdout : result.stderr).split('\n')[0];
  console.log(`${name}: ${firstLine}`);
  if (result.status !== 0) {
    console.error(result.stderr);
    failed++;
  }
}
process.exitCode = failed > 0 ? 1 : 0;
