/** One step into a JSON value: an object key or an array index. */
export type JsonPathSegment = string | number;

/** Segments shown before the rest of a long path is cut to `…`. */
const HEAD_SEGMENTS = 8;
/** A key longer than this is cut, so a client's megabyte-long key is not echoed back. */
const MAX_KEY_CHARS = 40;
/** The whole path is cut to about this many characters. */
const MAX_PATH_CHARS = 160;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * A field path for people, in the notation the config and protocol errors already use
 * (`tools[0].function.parameters.properties.a`), cut so that it stays one short line whatever
 * the client sent: at most 8 segments (then `…`), keys of at most 40 characters, about 160
 * characters in all. A key that is not an identifier is quoted (`properties["my key"]`).
 *
 * @example
 * ```ts
 * formatJsonPath(['tools', 0, 'function', 'parameters']); // 'tools[0].function.parameters'
 * formatJsonPath(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']); // 'a.b.c.d.e.f.g.h…'
 * ```
 */
export function formatJsonPath(segments: readonly JsonPathSegment[]): string {
  let out = '';
  const shown = Math.min(segments.length, HEAD_SEGMENTS);
  for (let i = 0; i < shown; i++) {
    const segment = segments[i]!;
    const part = typeof segment === 'number' ? `[${segment}]` : keyPart(segment, out === '');
    if (out.length + part.length > MAX_PATH_CHARS) return `${out}…`;
    out += part;
  }
  return shown < segments.length ? `${out}…` : out;
}

function keyPart(key: string, first: boolean): string {
  const head = key.slice(0, MAX_KEY_CHARS);
  const cut = key.length > MAX_KEY_CHARS ? `${head}…` : head;
  if (IDENTIFIER.test(head)) return first ? cut : `.${cut}`;
  return `[${JSON.stringify(cut)}]`;
}
