#!/usr/bin/env node
// Regenerates imports/ offline from the CRD files that cdk8s.yaml lists.
// CRD_DIR points at another local copy of the CRD folder (default ../shared/crds).
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const yaml = require('js-yaml');

const root = path.resolve(__dirname, '..');
const defaultCrdDir = '../shared/crds';
const crdDir = process.env.CRD_DIR ?? defaultCrdDir;
const config = yaml.load(fs.readFileSync(path.join(root, 'cdk8s.yaml'), 'utf8'));
const cli = path.join(root, 'node_modules', '.bin', 'cdk8s');
const outdir = path.join(root, 'imports');

fs.rmSync(outdir, { recursive: true, force: true });
const schemaIndex = {};
for (const spec of config.imports) {
  const [name, file] = spec.split(':=');
  if (!file.startsWith(`${defaultCrdDir}/`)) {
    throw new Error(`cdk8s.yaml: import '${spec}' must point under ${defaultCrdDir}/`);
  }
  const source = path.resolve(root, crdDir, file.slice(defaultCrdDir.length + 1));
  if (!fs.existsSync(source)) {
    console.error(`import: ${source} not found (set CRD_DIR to the folder that holds the upstream CRDs)`);
    process.exit(1);
  }
  // Run outside the project: given an explicit import, the CLI appends it to the cdk8s.yaml of its cwd.
  execFileSync(cli, ['import', '--no-check-upgrade', '--language', 'typescript', '--output', outdir, `${name}:=${source}`], {
    cwd: os.tmpdir(),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  writeSchemas(name, source);
}
fs.writeFileSync(path.join(outdir, 'crd-schemas', 'index.json'), `${JSON.stringify(sortKeys(schemaIndex), null, 2)}\n`);
console.log(`import: ${fs.readdirSync(outdir).length - 1} modules and ${Object.keys(schemaIndex).length} schemas written to imports/`);

/**
 * Extracts the openAPIV3Schema of every served version of every CRD in `source` into
 * imports/crd-schemas/<name>.json, for output validation at synth and test time.
 */
function writeSchemas(name, source) {
  const documents = yaml.loadAll(fs.readFileSync(source, 'utf8')).filter((d) => d && d.kind === 'CustomResourceDefinition');
  const schemas = {};
  for (const crd of documents) {
    const { group, names, scope } = crd.spec;
    for (const version of crd.spec.versions.filter((v) => v.served)) {
      const key = `${group}/${version.name}/${names.kind}`;
      schemas[key] = { scope, schema: version.schema.openAPIV3Schema };
      schemaIndex[key] = `${name}.json`;
    }
  }
  fs.mkdirSync(path.join(outdir, 'crd-schemas'), { recursive: true });
  fs.writeFileSync(path.join(outdir, 'crd-schemas', `${name}.json`), JSON.stringify(sortKeys(schemas)));
}

function sortKeys(object) {
  return Object.fromEntries(Object.keys(object).sort().map((key) => [key, object[key]]));
}
