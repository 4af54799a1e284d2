import * as fs from 'fs';
import * as path from 'path';

/** Every file below `dir`, by relative path (sorted), with its content: for byte-for-byte comparisons. */
export function tree(dir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => fs.statSync(path.join(dir, file)).isFile())
    .sort()
    .map((file) => [file, fs.readFileSync(path.join(dir, file), 'utf8')]));
}
