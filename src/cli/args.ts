/** A command line that cannot be understood: the message names the flag and the value. Exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Parsed `--flag value` / `--flag=value` / `--switch` arguments after the command word. */
export interface ParsedArgs {
  readonly values: ReadonlyMap<string, string>;
  readonly switches: ReadonlySet<string>;
  /** Arguments that are not flags, in order (only when the command accepts them). */
  readonly positional: readonly string[];
}

/**
 * Parses flags against the ones a command accepts, so a typo is an error, never ignored.
 *
 * @param argv the arguments after the command word
 * @param valueFlags flags that take a value
 * @param switchFlags flags that take none
 * @param options.positional how many non-flag arguments the command takes (default none)
 */
export function parseArgs(argv: readonly string[], valueFlags: readonly string[], switchFlags: readonly string[], options: { positional?: number } = {}): ParsedArgs {
  const values = new Map<string, string>();
  const switches = new Set<string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      const allowed = options.positional ?? 0;
      if (positional.length >= allowed) throw new UsageError(`unexpected argument "${arg}"${allowed > 0 ? `: this command takes ${allowed === 1 ? 'one argument' : `${allowed} arguments`}` : ''}`);
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (switchFlags.includes(name)) {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value, got "${inline}"`);
      switches.add(name);
    } else if (valueFlags.includes(name)) {
      const value = inline ?? argv[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
      values.set(name, value);
    } else {
      const known = [...valueFlags, ...switchFlags].map((f) => `--${f}`).join(', ');
      throw new UsageError(`unknown option --${name}; this command accepts ${known || 'no options'}`);
    }
  }
  return { values, switches, positional };
}

/** A number flag within bounds, or its default; the error names the flag, the value and the range. */
export function numberFlag(args: ParsedArgs, name: string, fallback: number, min: number, max: number): number {
  const raw = args.values.get(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new UsageError(`--${name} must be a number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}
