#!/usr/bin/env node
// `npm run bench`: how fast the library synthesizes, on this machine, against plain cdk8s.
//
// 1. Cold synth: `node scripts/run-app.js` (what `npm run synth` runs) for the default mesh,
//    against the smallest cdk8s app (bench/bare-app.ts: one ConfigMap) run with the same loader.
//    Whole-process wall time; dist/ is untouched (MESH_OUTDIR points into a temporary folder).
//    Once more with an empty transpile cache: the first synth after `npm ci` or an import change.
// 2. Scale: generated meshes of 10, 200 and 2,000 namespaces (bench/scale-app.ts), built with
//    the library, with the library and validated, by hand as raw ApiObjects, and serialized to
//    YAML alone (the floor). All four must write the same YAML (checked on every run). Each run is
//    a process of its own; it reports its build+synth time and peak RSS.
// Every case runs BENCH_REPS times (default 5), interleaved; the table shows medians.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');
const reps = Number(process.env.BENCH_REPS ?? 5);
const SIZES = [10, 200, 2000];
const VARIANTS = ['library', 'library+valid', 'raw', 'yaml'];
const TARGETS = { cold_ratio: 1.5, scale_ratio_2000: 1.5, growth: 12, peak_rss_mb_2000: 400 };
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mesh-bench-'));

/** Runs node with `args` in a fresh process; returns wall time, peak RSS and stdout. */
function runNode(args, env) {
  const rssFile = path.join(work, 'rss');
  fs.rmSync(rssFile, { force: true });
  const start = process.hrtime.bigint();
  const child = spawnSync(process.execPath, ['-r', path.join(__dirname, 'report-rss.js'), ...args], {
    cwd: root,
    env: { ...process.env, ...env, BENCH_RSS_FILE: rssFile },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (child.status !== 0) {
    throw new Error(`node ${args.join(' ')} failed (exit ${child.status}):\n${child.stdout}\n${child.stderr}`);
  }
  return { wallMs, maxRssMb: Number(fs.readFileSync(rssFile, 'utf8')), stdout: child.stdout };
}

function defaultSynth(env = {}) {
  const outdir = path.join(work, 'default-mesh');
  fs.rmSync(outdir, { recursive: true, force: true });
  // CDK8S_OUTDIR empty: the app stages beside MESH_OUTDIR, as with `npm run synth`.
  return runNode([path.join(root, 'scripts', 'run-app.js')], { ...env, MESH_OUTDIR: outdir, CDK8S_OUTDIR: '' });
}

function bareSynth(env = {}) {
  const outdir = path.join(work, 'bare');
  fs.rmSync(outdir, { recursive: true, force: true });
  return runNode([path.join(__dirname, 'run-ts.js'), path.join(__dirname, 'bare-app.ts')], { ...env, BENCH_OUTDIR: outdir });
}

function scaleCase(variant, namespaces) {
  const outdir = path.join(work, 'scale', variant);
  fs.rmSync(outdir, { recursive: true, force: true });
  const run = runNode([path.join(__dirname, 'run-ts.js'), path.join(__dirname, 'scale-app.ts'), variant, String(namespaces), outdir], {});
  return { ...JSON.parse(run.stdout.trim().split('\n').pop()), wallMs: run.wallMs };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const ms = (value) => (value === undefined ? '' : `${Math.round(value)}`);
const ratio = (value) => value.toFixed(2);

function table(header, rows) {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells) => `| ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join(' | ')} |`;
  return [line(header), `|${widths.map((width, column) => (column === 0 ? ` ${'-'.repeat(width)} ` : ` ${'-'.repeat(width - 1)}: `)).join('|')}|`, ...rows.map(line)].join('\n');
}

function main() {
  const started = Date.now();
  console.log(`Benchmark on node ${process.version}, ${os.cpus().length} cpus, ${reps} repetitions, medians (work folder ${work})`);

  // An empty transpile cache: what the first synth after `npm ci` (or after `npm run import`) costs.
  const emptyCache = { MESH_TRANSPILE_CACHE: path.join(work, 'empty-transpile-cache') };
  const firstDefault = defaultSynth(emptyCache);
  const firstBare = bareSynth({ MESH_TRANSPILE_CACHE: path.join(work, 'empty-transpile-cache-bare') });
  // Fills the project's transpile cache, as any earlier synth or bench run has.
  defaultSynth();
  bareSynth();
  scaleCase('library+valid', 10);
  scaleCase('raw', 10);

  const cold = { default: [], bare: [] };
  for (let rep = 0; rep < reps; rep++) {
    cold.default.push(defaultSynth());
    cold.bare.push(bareSynth());
  }

  const scale = new Map();
  for (const namespaces of SIZES) {
    const runs = Object.fromEntries(VARIANTS.map((variant) => [variant, []]));
    for (let rep = 0; rep < reps; rep++) {
      for (const variant of VARIANTS) {
        runs[variant].push(scaleCase(variant, namespaces));
      }
    }
    const hashes = new Set(Object.values(runs).flat().map((run) => run.yamlSha256));
    if (hashes.size !== 1) {
      throw new Error(`the variants wrote different YAML for ${namespaces} namespaces: the comparison would be unfair`);
    }
    scale.set(namespaces, runs);
  }

  const coldDefault = median(cold.default.map((run) => run.wallMs));
  const coldBare = median(cold.bare.map((run) => run.wallMs));
  console.log('\nCold synth, whole process (node start to exit):\n');
  console.log(table(['case', 'wall ms', 'peak RSS MB', 'first run, empty transpile cache, ms'], [
    ['default mesh (`node scripts/run-app.js`)', ms(coldDefault), ms(median(cold.default.map((run) => run.maxRssMb))), ms(firstDefault.wallMs)],
    ['bare cdk8s app (one ConfigMap)', ms(coldBare), ms(median(cold.bare.map((run) => run.maxRssMb))), ms(firstBare.wallMs)],
  ]));

  const rows = [];
  for (const [namespaces, runs] of scale) {
    const raw = median(runs.raw.map((run) => run.buildSynthMs));
    for (const variant of VARIANTS) {
      const cases = runs[variant];
      const buildSynth = median(cases.map((run) => run.buildSynthMs));
      rows.push([
        `${namespaces} namespaces, ${variant}`,
        String(cases[0].yamlBytes),
        ms(median(cases.map((run) => run.buildMs))),
        ms(buildSynth),
        variant === 'library+valid' ? ms(median(cases.map((run) => run.validateMs))) : '',
        ratio(buildSynth / raw),
        ms(median(cases.map((run) => run.wallMs))),
        ms(Math.max(...cases.map((run) => run.maxRssMb))),
      ]);
    }
  }
  console.log('\nScale: 9 objects per namespace (Namespace, Sidecar, PeerAuthentication, PodMonitor, 2 ServiceAccounts, 3 AuthorizationPolicies), same YAML in every variant:\n');
  console.log(table(['case', 'YAML bytes', 'build ms', 'build+synth ms', 'of which validate ms', 'vs raw', 'process wall ms', 'peak RSS MB'], rows));

  const libraryMs = (namespaces) => median(scale.get(namespaces).library.map((run) => run.buildSynthMs));
  const results = {
    cold_ratio: coldDefault / coldBare,
    scale_ratio_2000: libraryMs(2000) / median(scale.get(2000).raw.map((run) => run.buildSynthMs)),
    growth: libraryMs(2000) / libraryMs(200),
    // The real synth validates, so the validated run's peak counts.
    peak_rss_mb_2000: Math.max(...VARIANTS.filter((variant) => variant.startsWith('library'))
      .flatMap((variant) => scale.get(2000)[variant].map((run) => run.maxRssMb))),
  };
  const validRatio = median(scale.get(2000)['library+valid'].map((run) => run.buildSynthMs)) / median(scale.get(2000).raw.map((run) => run.buildSynthMs));
  console.log(`\nTargets (scale_ratio is the library without validation against raw ApiObjects; validated: ${ratio(validRatio)}):`);
  for (const [name, target] of Object.entries(TARGETS)) {
    const value = results[name];
    console.log(`  ${name.padEnd(17)} ${(name === 'peak_rss_mb_2000' ? String(Math.round(value)) : ratio(value)).padStart(7)}  target <= ${target}  ${value <= target ? 'met' : 'MISSED'}`);
  }
  console.log(`\nbench took ${Math.round((Date.now() - started) / 1000)} s`);
  fs.rmSync(work, { recursive: true, force: true });
  console.log(`bench: cold_ratio=${ratio(results.cold_ratio)} scale_ratio_2000=${ratio(results.scale_ratio_2000)} growth=${ratio(results.growth)} peak_rss_mb_2000=${Math.round(results.peak_rss_mb_2000)}`);
}

main();
