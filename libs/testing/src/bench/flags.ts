/** A command line a benchmark cannot run with: printed with its usage, exit code 2. */
export class UsageError extends Error {}

/** One `--flag value` or `--flag=value` of a command line, with readers for its value. */
export interface Flag {
  readonly name: string;
  value(): string;
  integer(min: number, max: number): number;
  /** A finite number from min to max (shares, fractions). */
  decimal(min: number, max: number): number;
  /** Comma-separated, blanks dropped. */
  list(): string[];
  /** The error for a flag the caller does not know. */
  unknown(): UsageError;
}

/**
 * The flags of `argv` one by one; reading a flag's value consumes the next argument unless the
 * value was given inline. Use in a `switch (flag.name)` with `default: throw flag.unknown()`.
 */
export function* flags(argv: readonly string[]): Generator<Flag> {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) return inline;
      if (i + 1 >= argv.length) throw new UsageError(`${name} needs a value`);
      return argv[++i];
    };
    const decimal = (min: number, max: number, integer: boolean): number => {
      const raw = value();
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
        throw new UsageError(`${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, not ${raw}`);
      }
      return n;
    };
    yield {
      name,
      value,
      integer: (min, max) => decimal(min, max, true),
      decimal: (min, max) => decimal(min, max, false),
      list: () =>
        value()
          .split(',')
          .map((v) => v.trim())
          .filter(Boolean),
      unknown: () => new UsageError(`unknown option ${arg}`),
    };
  }
}

/**
 * A bench's options from its command line, or the exit code once it has answered: 0 after
 * printing the usage for `--help`, 2 after printing a usage error and the usage.
 */
export function optionsOrExitCode<O>(parse: (argv: readonly string[]) => O | 'help', usage: string, argv: readonly string[] = process.argv.slice(2)): O | number {
  try {
    const parsed = parse(argv);
    if (parsed !== 'help') return parsed;
    process.stdout.write(`${usage}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${usage}\n`);
    return 2;
  }
}
