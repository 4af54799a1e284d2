import { IConstruct } from 'constructs';

const inputFiles = new WeakMap<IConstruct, Set<string>>();

/**
 * Notes that a part of the app rendered from `file` (a user's dashboard JSON): the output
 * pipeline ({@link MeshSynthesis.ofApp}) refuses an output folder that holds it, as it refuses
 * one that holds mesh.yaml, since replacing the folder would delete it.
 */
export function recordInputFile(scope: IConstruct, file: string): void {
  const root = scope.node.root;
  let files = inputFiles.get(root);
  if (!files) {
    files = new Set();
    inputFiles.set(root, files);
  }
  files.add(file);
}

/** The files the parts of the app `scope` belongs to rendered from, in the order they were read. */
export function inputFilesOf(scope: IConstruct): string[] {
  return [...inputFiles.get(scope.node.root) ?? []];
}
