import * as fs from 'fs';
import * as path from 'path';
import { Construct } from 'constructs';
import * as library from '../../lib';

const root = path.resolve(__dirname, '..', '..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

/** The constructs of the public API, by class name. */
const constructs = Object.entries(library)
  .filter(([, value]) => typeof value === 'function' && value.prototype instanceof Construct)
  .map(([name]) => name)
  .sort();

describe('README links to the API reference', () => {
  test('every construct the README names links to its reference page at least once', () => {
    // GIVEN the constructs the README mentions, in prose (`Name`) or in an example (new Name(...))
    const mentioned = constructs.filter((name) => new RegExp(`\`${name}\\b|\\bnew ${name}\\(`).test(readme));
    expect(mentioned.length).toBeGreaterThan(10);
    // THEN each has a link [`Name`](docs/api/classes/Name.md)
    const unlinked = mentioned.filter((name) => !readme.includes(`](docs/api/classes/${name}.md)`));
    expect(unlinked).toEqual([]);
  });

  test('every link into docs/api points at a page that exists', () => {
    const targets = [...readme.matchAll(/\]\((docs\/api\/[^)#]+)(?:#[^)]*)?\)/g)].map((match) => match[1]);
    expect(targets.length).toBeGreaterThan(0);
    expect(targets.filter((target) => !fs.existsSync(path.join(root, target)))).toEqual([]);
  });
});
