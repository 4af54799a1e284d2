import { ImageMirror } from '../core/image-mirror';

/** The file of the output that lists the images to copy into the app's {@link ImageMirror}. */
export const IMAGE_LIST_FILE = 'IMAGES.txt';

/** The header of `IMAGES.txt`, which lists `<source> <mirrored>` per line. */
const IMAGES_HEADER = [
  '# The images this output pulls, each with where the mirror holds it: copy them before applying, e.g.',
  '#   grep -v \'^#\' IMAGES.txt | while read -r source mirrored; do skopeo copy --all "docker://$source" "docker://$mirrored"; done',
];

/** `IMAGES.txt` for the mirror's images; undefined without a mirror or images. */
export function renderImageList(mirror: ImageMirror | undefined): string | undefined {
  if (!mirror || mirror.images.length === 0) {
    return undefined;
  }
  return [...IMAGES_HEADER, ...mirror.images.map(({ source, mirrored }) => `${source} ${mirrored}`), ''].join('\n');
}

/** `{ 'IMAGES.txt': <list> }` for an output's extra files, or nothing without a mirror. */
export function imageListFile(mirror: ImageMirror | undefined): Record<string, string> {
  const list = renderImageList(mirror);
  return list === undefined ? {} : { [IMAGE_LIST_FILE]: list };
}
