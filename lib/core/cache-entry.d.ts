/** Part of every cache key, so that entries of an older format are not even found. */
export declare const CACHE_ENTRY_FORMAT: string;
/** The content of the entry in `file`, or undefined when it is missing or fails its length and checksum. */
export declare function readCacheEntry(file: string): Buffer | undefined;
/** Writes an entry whole or not at all; throws when the folder cannot be written. */
export declare function writeCacheEntry(file: string, content: string | Uint8Array): void;
