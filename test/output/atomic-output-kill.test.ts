import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AtomicOutput } from '../../lib';
import { tree } from '../helpers/files';

const COMMIT_SCRIPT = path.join(__dirname, 'fixtures', 'commit-output.js');
const FILES = 200;
const KILLS = 40;
const SIGNALS: readonly NodeJS.Signals[] = ['SIGKILL', 'SIGTERM', 'SIGINT'];

/** Runs the output step of a synth that writes `FILES` files labelled `label`. */
function startCommit(outdir: string, label: string): ChildProcess {
  return spawn(process.execPath, [COMMIT_SCRIPT, outdir, label, String(FILES)], { stdio: ['ignore', 'pipe', 'pipe'] });
}

function exited(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr!.on('data', (chunk) => { stderr += chunk; });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

/** The tree a commit of `label` writes, read from a real commit into a folder of its own. */
async function expectedTree(workdir: string, label: string): Promise<Record<string, string>> {
  const dir = path.join(workdir, `expected-${label}`);
  expect((await exited(startCommit(dir, label))).code).toBe(0);
  return tree(dir);
}

describe('AtomicOutput under kills and concurrent synths', () => {
  let workdir: string;
  beforeEach(() => { workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'atomic-kill-')); });
  afterEach(() => fs.rmSync(workdir, { recursive: true, force: true }));

  test(`killed at ${KILLS} random points (SIGKILL, SIGTERM, SIGINT), the next start always finds exactly the old or the new output, and nothing beside it`, async () => {
    // GIVEN an output written by a first synth
    const expected = { old: await expectedTree(workdir, 'old'), new: await expectedTree(workdir, 'new') };
    const project = path.join(workdir, 'project');
    fs.mkdirSync(project);
    const outdir = path.join(project, 'dist');
    expect((await exited(startCommit(outdir, 'old'))).code).toBe(0);
    const seen = { old: 0, new: 0, missingBeforeRepair: 0 };
    for (let attempt = 0; attempt < KILLS; attempt++) {
      // WHEN a synth of the new output gets a signal at a random moment of its commit (SIGKILL,
      // which no handler sees, or the SIGTERM and SIGINT of a CI runner and a Ctrl-C)
      const child = startCommit(outdir, 'new');
      const done = exited(child);
      const delayMs = Math.floor(Math.random() * 6);
      const signal = SIGNALS[attempt % SIGNALS.length];
      child.stdout!.once('data', () => setTimeout(() => child.kill(signal), delayMs));
      await done;
      if (!fs.existsSync(outdir)) {
        seen.missingBeforeRepair++;
      }
      // THEN the next start repairs the folder to one of the two trees, and leaves nothing else
      new AtomicOutput({ outdir }).discard();
      const found = tree(outdir);
      const which = JSON.stringify(found) === JSON.stringify(expected.old) ? 'old' : 'new';
      expect(found).toEqual(expected[which]);
      expect(fs.readdirSync(project)).toEqual(['dist']);
      seen[which]++;
      if (which === 'new') {
        // Start the next attempt from the old output again.
        expect((await exited(startCommit(outdir, 'old'))).code).toBe(0);
      }
    }
    // The kills landed on both sides of the swap (printed, not asserted: timing decides).
    console.log(`kill test: ${KILLS} kills, old output after ${seen.old}, new output after ${seen.new}, output missing until repaired after ${seen.missingBeforeRepair}`);
  }, 120_000);

  test('three synths at once: each waits for the lock, all succeed, the output is one of theirs whole', async () => {
    // GIVEN
    const labels = ['a', 'b', 'c'];
    const expected = await Promise.all(labels.map((label) => expectedTree(workdir, label)));
    const outdir = path.join(workdir, 'project', 'dist');
    fs.mkdirSync(path.dirname(outdir));
    // WHEN
    const results = await Promise.all(labels.map((label) => exited(startCommit(outdir, label))));
    // THEN
    expect(results).toEqual(labels.map(() => ({ code: 0, stderr: '' })));
    expect(expected).toContainEqual(tree(outdir));
    expect(fs.readdirSync(path.dirname(outdir))).toEqual(['dist']);
  }, 60_000);
});
