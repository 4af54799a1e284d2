import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tree } from '../helpers/files';

const root = path.resolve(__dirname, '..', '..');


test('docs/api is what `npm run docs` generates from the TSDoc of lib/', () => {
  // GIVEN a fresh generation of the API reference
  const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'api-docs-'));
  try {
    execFileSync(process.execPath, [path.join(root, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--out', fresh, '--logLevel', 'Error'], { cwd: root, stdio: 'pipe' });
    // THEN the committed reference is identical (run `npm run docs` after changing the public API)
    const committed = tree(path.join(root, 'docs', 'api'));
    const generated = tree(fresh);
    expect(Object.keys(committed)).toEqual(Object.keys(generated));
    for (const file of Object.keys(generated)) {
      expect({ file, content: committed[file] }).toEqual({ file, content: generated[file] });
    }
  } finally {
    fs.rmSync(fresh, { recursive: true, force: true });
  }
}, 300_000);
