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
// IMPORT_OUTDIR writes elsewhere (the test that checks imports/ is current uses it).
const outdir = path.resolve(process.env.IMPORT_OUTDIR || path.join(root, 'imports'));

// Every input is checked before anything is written: a missing CRD folder leaves imports/ as it was.
const sources = config.imports.map((spec) => {
  const [name, file] = spec.split(':=');
  if (!file || !file.startsWith(`${defaultCrdDir}/`)) {
    return { spec, problem: `cdk8s.yaml: import '${spec}' must be <name>:=${defaultCrdDir}/<file>` };
  }
  const source = path.resolve(root, crdDir, file.slice(defaultCrdDir.length + 1));
  return { name, source, problem: fs.existsSync(source) ? undefined : `${source} not found` };
});
const problems = sources.filter((s) => s.problem).map((s) => s.problem);
if (problems.length > 0) {
  console.error(`import: nothing was written; ${problems.length} of ${sources.length} inputs are missing or wrong (set CRD_DIR to the folder that holds the upstream CRDs):`);
  problems.forEach((problem) => console.error(`  ${problem}`));
  process.exit(1);
}

// Generated into a staging folder beside the output, then swapped in with renames.
fs.mkdirSync(path.dirname(outdir), { recursive: true });
const staging = fs.mkdtempSync(path.join(path.dirname(outdir), `.${path.basename(outdir)}.staging-`));
const schemaIndex = {};
try {
  for (const { name, source } of sources) {
    // Run outside the project: given an explicit import, the CLI appends it to the cdk8s.yaml of its cwd.
    execFileSync(cli, ['import', '--no-check-upgrade', '--language', 'typescript', '--output', staging, `${name}:=${source}`], {
      cwd: os.tmpdir(),
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    writeSchemas(staging, name, source);
  }
  fs.writeFileSync(path.join(staging, 'crd-schemas', 'index.json'), `${JSON.stringify(sortKeys(schemaIndex), null, 2)}\n`);
} catch (error) {
  fs.rmSync(staging, { recursive: true, force: true });
  console.error(`import: nothing was written: ${error.message}`);
  process.exit(1);
}
fs.chmodSync(staging, 0o755);
const previous = `${path.join(path.dirname(outdir), `.${path.basename(outdir)}`)}.previous-${process.pid}`;
const hadPrevious = fs.existsSync(outdir);
if (hadPrevious) {
  fs.renameSync(outdir, previous);
}
fs.renameSync(staging, outdir);
fs.rmSync(previous, { recursive: true, force: true });
console.log(`import: ${fs.readdirSync(outdir).length - 1} modules and ${Object.keys(schemaIndex).length} schemas written to ${path.relative(process.cwd(), outdir) || '.'}`);

/**
 * Extracts the openAPIV3Schema of every served version of every CRD in `source` into
 * <dir>/crd-schemas/<name>.json, for output validation at synth and test time.
 */
function writeSchemas(dir, name, source) {
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
  fs.mkdirSync(path.join(dir, 'crd-schemas'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'crd-schemas', `${name}.json`), JSON.stringify(sortKeys(schemas)));
}

function sortKeys(object) {
  return Object.fromEntries(Object.keys(object).sort().map((key) => [key, object[key]]));
}
