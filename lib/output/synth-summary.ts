import { ManifestFile } from './staged-manifests';

/** Props of {@link renderSynthSummary}. */
export interface SynthSummaryProps {
  /** The manifest files written. */
  readonly manifestFiles: readonly ManifestFile[];
  /** Other files written (reports, kustomization), relative to the output folder. */
  readonly otherFiles: readonly string[];
  /** The output folder, as shown to the user. */
  readonly outdir: string;
  /** Warnings to show. @default - none */
  readonly warnings?: readonly string[];
}

/** The terminal summary after a synth: files and their objects, objects per kind, warnings. */
export function renderSynthSummary(props: SynthSummaryProps): string {
  const kinds = new Map<string, number>();
  let total = 0;
  for (const { manifests } of props.manifestFiles) {
    for (const manifest of manifests) {
      kinds.set(manifest.kind, (kinds.get(manifest.kind) ?? 0) + 1);
      total++;
    }
  }
  const width = Math.max(...props.manifestFiles.map((f) => f.file.length), ...[...kinds.keys()].map((k) => k.length), 10);
  const lines = [`synth: ${total} objects in ${props.manifestFiles.length} manifest files written to ${props.outdir}`, '', 'files:'];
  for (const { file, manifests } of props.manifestFiles) {
    lines.push(`  ${file.padEnd(width)}  ${String(manifests.length).padStart(5)} objects`);
  }
  for (const file of props.otherFiles) {
    lines.push(`  ${file}`);
  }
  lines.push('', 'objects per kind:');
  for (const [kind, count] of [...kinds.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`  ${kind.padEnd(width)}  ${String(count).padStart(5)}`);
  }
  const warnings = props.warnings ?? [];
  lines.push('', warnings.length === 0 ? 'warnings: none' : `warnings (${warnings.length}):`);
  lines.push(...warnings.map((warning) => `  - ${warning}`));
  return lines.join('\n');
}
