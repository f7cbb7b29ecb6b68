/**
 * File system paths in free text: `file:` URLs, absolute POSIX paths of two or more segments
 * (`/home/me/.config/x`, not a lone `/v1`), and Windows drive or UNC paths. A URL's own path is
 * left alone (it follows `://host`, not a space or a quote).
 */
const FILE_PATH = /file:\/\/\S+|(?<=^|[\s'"`(=[,:])(?:\/[^\s/'"`),\]]+){2,}\/?|(?<=^|[\s'"`(=[,])(?:[A-Za-z]:|\\\\[^\s\\]+)\\[^\s'"`),\]]*/g;

/**
 * Replaces file system paths in a message with `<path>`, so an error from inside the process
 * (a bug, a file it could not open) can be shown to a client without telling it how the
 * server's disk is laid out.
 *
 * @example
 * ```ts
 * withoutFilePaths("ENOENT: no such file or directory, open '/srv/router/journal.jsonl'");
 * // "ENOENT: no such file or directory, open '<path>'"
 * withoutFilePaths('connect ECONNREFUSED http://127.0.0.1:8082/v1/messages'); // unchanged
 * ```
 */
export function withoutFilePaths(text: string): string {
  return text.replace(FILE_PATH, '<path>');
}
