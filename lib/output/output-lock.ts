import * as fs from 'fs';
import * as os from 'os';

/** A lock older than this is taken to be left by a process whose pid was reused. */
const STALE_AFTER_MS = 10 * 60 * 1000;
const POLL_MS = 50;

/**
 * A lock file that lets one synth at a time write an output folder. It holds the pid and host of
 * its owner; a lock whose owner is gone (killed, crashed) is taken over, so a kill never blocks
 * the next synth. A held lock is released by {@link release} or when the process exits.
 */
export class OutputLock {
  /**
   * Takes the lock at `file`, waiting up to `timeoutMs` for a live owner to release it.
   * @throws when another live synth holds it after `timeoutMs`
   */
  public static acquire(file: string, timeoutMs: number): OutputLock {
    if (OutputLock.heldHere.has(file)) {
      throw new Error(`this process already holds ${file}: commit or discard the earlier output of the same folder first`);
    }
    const deadline = Date.now() + timeoutMs;
    const owner = `${process.pid} ${os.hostname()}\n`;
    for (;;) {
      try {
        fs.writeFileSync(file, owner, { flag: 'wx' });
        return new OutputLock(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw error;
        }
      }
      const holder = readHolder(file);
      if (holder === undefined) {
        continue;
      }
      if (!holder.alive) {
        removeStale(file, holder.text);
        continue;
      }
      if (Date.now() >= deadline) {
        throw new Error(`another synth (pid ${holder.pid}) is writing this output folder and still holds ${file} after ${Math.round(timeoutMs / 1000)} s: `
          + 'wait for it to finish; if no synth is running, delete that file');
      }
      sleep(POLL_MS);
    }
  }

  /** Locks this process holds: a lock file with this pid that is not among them was left by an earlier process. */
  private static readonly heldHere = new Set<string>();

  private held = true;
  private readonly releaseOnExit = () => this.release();

  private constructor(public readonly file: string) {
    OutputLock.heldHere.add(file);
    process.once('exit', this.releaseOnExit);
  }

  /** Removes the lock file; a second call does nothing. */
  public release(): void {
    if (this.held) {
      this.held = false;
      OutputLock.heldHere.delete(this.file);
      process.removeListener('exit', this.releaseOnExit);
      fs.rmSync(this.file, { force: true });
    }
  }
}

interface LockHolder {
  readonly pid: number;
  readonly alive: boolean;
  readonly text: string;
}

/**
 * Removes a lock whose owner is gone. Another waiter may have done so and taken the lock in the
 * meantime: the file is first renamed to a name of this process's own, and a lock that turns out
 * not to be the stale one is linked back (link, unlike rename, never replaces a file).
 */
function removeStale(file: string, staleText: string): void {
  const aside = `${file}.${process.pid}.stale`;
  try {
    fs.renameSync(file, aside);
  } catch {
    return;
  }
  if (fs.readFileSync(aside, 'utf8') !== staleText) {
    try {
      fs.linkSync(aside, file);
    } catch {
      // A third synth took the lock in between: it holds it now.
    }
  }
  fs.rmSync(aside, { force: true });
}

/** Who holds the lock, or undefined when it is gone. */
function readHolder(file: string): LockHolder | undefined {
  let text: string;
  let modifiedMs: number;
  try {
    text = fs.readFileSync(file, 'utf8');
    modifiedMs = fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
  const match = /^(\d+) (\S+)\n$/.exec(text);
  if (!match) {
    // A writer that was killed between creating the file and writing it leaves it empty; one
    // that is writing it right now finishes within a poll.
    return { pid: 0, alive: Date.now() - modifiedMs <= POLL_MS * 4, text };
  }
  const pid = Number(match[1]);
  // A lock from another host (a shared folder) cannot be checked: it counts as held until stale.
  const alive = Date.now() - modifiedMs < STALE_AFTER_MS && (match[2] !== os.hostname() || (pid !== process.pid && isRunning(pid)));
  return { pid, alive, text };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
