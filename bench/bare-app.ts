// The baseline of the cold synth: the smallest cdk8s app, one Chart with one ConfigMap, run the
// way `npm run synth` runs main.ts (bench/run-ts.js loads it with scripts/ts-loader.js).
import { App, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';

const app = new App({ outdir: process.env.BENCH_OUTDIR });
const chart = new Chart(app, 'bare');
new k8s.KubeConfigMap(chart, 'config', { metadata: { name: 'bare', namespace: 'default' }, data: { greeting: 'hello' } });
app.synth();
