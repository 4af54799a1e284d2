import { execFileSync } from 'child_process';
import * as path from 'path';

/** A flowchart as Mermaid's parser read it, labels as a viewer shows them. */
export interface ParsedFlowchart {
  /** Parse error, when Mermaid refused the text. */
  readonly error?: string;
  readonly vertices?: { readonly id: string; readonly lines: string[] }[];
  readonly edges?: { readonly from: string; readonly to: string; readonly text: string }[];
}

/** Parses each flowchart with the real `mermaid` package, in one node process for all of them. */
export function parseFlowcharts(texts: readonly string[]): ParsedFlowchart[] {
  const output = execFileSync(process.execPath, [path.join(__dirname, 'mermaid-parse.mjs')], {
    input: JSON.stringify(texts), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(output);
}

/** The text of the ```mermaid block of a Markdown file; fails unless there is exactly one. */
export function mermaidBlock(markdown: string): string {
  const blocks = [...markdown.matchAll(/^```mermaid\n([\s\S]*?)^```$/gm)];
  if (blocks.length !== 1) {
    throw new Error(`expected one mermaid block, found ${blocks.length}`);
  }
  return blocks[0][1];
}
