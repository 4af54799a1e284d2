import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tree } from '../helpers/files';

const root = path.resolve(__dirname, '..', '..');
const dist = path.join(root, 'dist');

// The entry format both caches write: a header line with the content's length and sha256.
const ENTRY_HEADER = /^cdk8s-istio-mesh cache 2 (\d+) ([0-9a-f]{64})\n/;

/** Why `bytes` is not a valid cache entry, or undefined when it is one. */
function entryProblem(bytes: Buffer): string | undefined {
  const header = ENTRY_HEADER.exec(bytes.subarray(0, 128).toString('latin1'));
  if (header === null) {
    return 'no header';
  }
  const content = bytes.subarray(header[0].length);
  if (content.length !== Number(header[1])) {
    return `${content.length} bytes, header says ${header[1]}`;
  }
  return createHash('sha256').update(content).digest('hex') === header[2] ? undefined : 'wrong sha256';
}

/** What a disk can hand back instead of the entry that was written. */
const CORRUPTIONS: Array<[string, (entry: Buffer) => Buffer]> = [
  ['empty file', () => Buffer.alloc(0)],
  ['truncated to half', (entry) => entry.subarray(0, Math.floor(entry.length / 2))],
  ['one byte flipped', (entry) => {
    const flipped = Buffer.from(entry);
    flipped[Math.floor(flipped.length / 2)] ^= 0x01;
    return flipped;
  }],
  ['garbage', (entry) => Buffer.alloc(entry.length, 'not a cache entry\0\n')],
  // What the previous version of the caches wrote under the same name: the bare content.
  ['old-format entry', (entry) => entry.subarray(ENTRY_HEADER.exec(entry.toString('latin1'))?.[0].length ?? 0)],
];

/** Where each cache keeps its entries, below one folder per run. */
const CACHES: Array<[string, { folder: string; entries: RegExp }]> = [
  ['transpiled code', { folder: 'transpile', entries: /^[0-9a-f]{64}\.js$/ }],
  ['V8 code cache', { folder: 'transpile', entries: /^[0-9a-f]{64}\..*\.v8$/ }],
  ['compiled validators', { folder: 'validators', entries: /^[0-9a-f]{64}\.js$/ }],
  ['parsed CEL rules and their verdicts', { folder: 'validators', entries: /^cel-(rule|verdicts)-[0-9a-f]+\.json$/ }],
];

/** Runs `npm run synth`'s command with both caches below `caches`, writing into `outdir`. */
function synthesize(caches: string, outdir: string) {
  return spawnSync(process.execPath, [path.join(root, 'scripts', 'run-app.js')], {
    cwd: root,
    encoding: 'utf8',
    env: {
      ...process.env,
      MESH_TRANSPILE_CACHE: path.join(caches, 'transpile'),
      MESH_VALIDATOR_CACHE: path.join(caches, 'validators'),
      MESH_OUTDIR: outdir,
      CDK8S_OUTDIR: '',
    },
  });
}

function entriesOf(caches: string, cache: { folder: string; entries: RegExp }): string[] {
  const folder = path.join(caches, cache.folder);
  return fs.readdirSync(folder).filter((name) => cache.entries.test(name)).map((name) => path.join(folder, name));
}

function expectCommittedDist(outdir: string): void {
  const committed = tree(dist);
  const generated = tree(outdir);
  expect(Object.keys(generated)).toEqual(Object.keys(committed));
  for (const file of Object.keys(committed)) {
    expect({ file, content: generated[file] }).toEqual({ file, content: committed[file] });
  }
}

describe('a synth with broken cache entries', () => {
  let workdir: string;
  let warmCaches: string;
  beforeAll(() => {
    workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'broken-caches-'));
    warmCaches = path.join(workdir, 'warm');
    const run = synthesize(warmCaches, path.join(workdir, 'warm-dist'));
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
  }, 120_000);
  afterAll(() => fs.rmSync(workdir, { recursive: true, force: true }));

  describe.each(CACHES)('%s', (name, cache) => {
    test.each(CORRUPTIONS)('%s: writes the committed dist/ and rebuilds the entries', (corruption, corrupt) => {
      // GIVEN every entry of the cache corrupted the same way
      const caches = path.join(workdir, `${name} ${corruption}`.replace(/\W+/g, '-'));
      fs.cpSync(warmCaches, caches, { recursive: true });
      const entries = entriesOf(caches, cache);
      expect(entries.length).toBeGreaterThan(0);
      for (const entry of entries) {
        fs.writeFileSync(entry, corrupt(fs.readFileSync(entry)));
      }
      // With the verdicts of the CEL rules at hand a synth does not load the rule evaluator's
      // modules; without them it loads every module the warm synth loaded, so every entry is read.
      if (cache.folder === 'transpile') {
        for (const verdicts of fs.readdirSync(path.join(caches, 'validators')).filter((file) => file.startsWith('cel-verdicts-'))) {
          fs.rmSync(path.join(caches, 'validators', verdicts));
        }
      }
      const outdir = path.join(caches, 'dist');
      // WHEN
      const run = synthesize(caches, outdir);
      // THEN the same output as without a cache, and every entry valid again
      expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
      expectCommittedDist(outdir);
      expect(entriesOf(caches, cache).sort()).toEqual(entries.sort());
      for (const entry of entries) {
        expect({ entry: path.basename(entry), problem: entryProblem(fs.readFileSync(entry)) })
          .toEqual({ entry: path.basename(entry), problem: undefined });
      }
    }, 60_000);
  });
});
