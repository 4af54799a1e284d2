import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..', '..');

/** The README, the guide's mesh.yaml and every example's mesh.yaml and README, by path. */
function userFacingTexts(): Array<[string, string]> {
  const examples = fs.readdirSync(path.join(root, 'examples'), { withFileTypes: true }).filter((entry) => entry.isDirectory())
    .flatMap((entry) => ['mesh.yaml', 'README.md'].map((file) => path.join('examples', entry.name, file)));
  return ['README.md', 'mesh.yaml', ...examples].filter((file) => fs.existsSync(path.join(root, file)))
    .map((file) => [file, fs.readFileSync(path.join(root, file), 'utf8')]);
}

// Istio's dashboards query the raw istio_* series, not the workload:* recordings (issue 11 item 15).
describe('what the docs say the recording rules are for', () => {
  test('nothing claims they make Istio\'s dashboards cheap', () => {
    // GIVEN / WHEN
    const claims = userFacingTexts().flatMap(([file, text]) => text.split('\n')
      .map((line, index) => [`${file}:${index + 1}`, line] as const)
      .filter(([, line]) => /dashboards?\b[^.]*\bcheap(er)?\b/i.test(line) && !/do not make Istio's dashboards cheaper/.test(line)));
    // THEN
    expect(claims).toEqual([]);
  });

  test('the README says the dashboards query the raw series, and what the workload:* series are for', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8').replace(/\s+/g, ' ');
    expect(readme).toMatch(/recording rules do not make Istio's dashboards cheaper: those query the raw `istio_requests_total`/);
    expect(readme).toMatch(/federating or remote-writing the `workload:\*` series/);
  });
});
