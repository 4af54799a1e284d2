import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { tree } from '../helpers/files';

const root = path.resolve(__dirname, '..', '..');

/** Names a module of imports/ declares: the generated types and classes of one API group. */
function generatedNames(): Set<string> {
  const names = new Set<string>();
  for (const file of fs.readdirSync(path.join(root, 'imports')).filter((f) => f.endsWith('.ts'))) {
    for (const match of fs.readFileSync(path.join(root, 'imports', file), 'utf8').matchAll(/^export (?:declare )?(?:interface|class|enum|type|function|const) (\w+)/gm)) {
      names.add(match[1]);
    }
  }
  return names;
}

describe('the API reference', () => {
  let fresh: string;
  let warnings: string[];
  beforeAll(() => {
    // One generation for both tests, with TypeDoc's check for referenced types that are not exported.
    fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'api-docs-'));
    const typedoc = spawnSync(process.execPath, [path.join(root, 'node_modules', 'typedoc', 'bin', 'typedoc'), '--out', fresh, '--logLevel', 'Warn', '--validation.notExported', 'true'], { cwd: root, encoding: 'utf8' });
    const log = `${typedoc.stdout}${typedoc.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
    if (typedoc.status !== 0) {
      throw new Error(`typedoc failed:\n${log}`);
    }
    warnings = log.split('\n').filter((line) => line.startsWith('[warning]') && !/^\[warning\] Found \d+ errors and \d+ warnings$/.test(line));
  }, 300_000);
  afterAll(() => fs.rmSync(fresh, { recursive: true, force: true }));

  test('docs/api is what `npm run docs` generates from the TSDoc of lib/', () => {
    // THEN the committed reference is identical (run `npm run docs` after changing the public API)
    const committed = tree(path.join(root, 'docs', 'api'));
    const generated = tree(fresh);
    expect(Object.keys(committed)).toEqual(Object.keys(generated));
    for (const file of Object.keys(generated)) {
      expect({ file, content: committed[file] }).toEqual({ file, content: generated[file] });
    }
  });

  test('every type a public prop, member or function of lib/ names is exported from the package root', () => {
    // GIVEN TypeDoc's warnings for types that the documented API references but does not export
    const generated = generatedNames();
    const unexported = warnings.map((line) => {
      const match = /^\[warning\] (\w+), defined in .*, is referenced by ([\w$]+)\S* but not included in the documentation$/.exec(line);
      return match ? { type: match[1], referrer: match[2], line } : { type: '', referrer: '', line };
    });
    // THEN the only ones are generated types named by other generated types, which a consumer
    // imports from `cdk8s-istio-mesh/imports/<name>`; a type lib/ names is exported by lib/index.ts
    expect(unexported.filter(({ type, referrer }) => !(generated.has(type) && generated.has(referrer))).map(({ line }) => line)).toEqual([]);
    expect(unexported.length).toBeGreaterThan(0);
  });
});
