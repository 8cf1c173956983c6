/**
 * One validated configuration object per process, read from command-line flags and environment
 * variables with defaults. A process declares its settings once (name, variable, flag, parser,
 * default, description); `readSettings` answers a typed object or throws a `ConfigError` that
 * names the setting, so a bad value stops start-up with a message a person can act on.
 */

/** A setting's parser: the typed value, or a thrown Error saying what is expected. */
export type Parser<T> = (raw: string) => T;

/** One setting: where it is read from, how it is parsed, its default and what it is for. */
export interface Setting<T> {
  env: string;
  flag: string;
  parse: Parser<T>;
  default: T;
  doc: string;
}

/** A map of named settings. */
export type SettingsSpec = Record<string, Setting<unknown>>;

/** The typed configuration a spec produces. */
export type SettingsOf<S extends SettingsSpec> = { [K in keyof S]: S[K]['default'] };

/** A setting with a bad value, or an unknown flag. */
export class ConfigError extends Error {
  /** O(1). `setting` is the environment variable or flag at fault. */
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** O(1). Typed helper so a spec keeps each setting's value type. */
export function setting<T>(s: Setting<T>): Setting<T> {
  return s;
}

/**
 * O(flags + settings). Reads every setting: a flag (`--name value` or `--name=value`) wins over
 * the environment, which wins over the default. Unknown flags and bad values throw ConfigError.
 */
export function readSettings<S extends SettingsSpec>(
  spec: S,
  argv: readonly string[] = process.argv.slice(2),
  env: NodeJS.ProcessEnv = process.env,
): SettingsOf<S> {
  const flags = parseFlags(argv, new Set(Object.values(spec).map((s) => s.flag)));
  const out: Record<string, unknown> = {};
  for (const [key, s] of Object.entries(spec)) {
    const fromFlag = flags.get(s.flag);
    const raw = fromFlag ?? env[s.env];
    const source = fromFlag !== undefined ? `--${s.flag}` : s.env;
    if (raw === undefined || raw === '') {
      out[key] = s.default;
      continue;
    }
    try {
      out[key] = s.parse(raw);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new ConfigError(source, `Invalid ${source}=${JSON.stringify(raw)}: ${why}.`);
    }
  }
  return out as SettingsOf<S>;
}

function parseFlags(argv: readonly string[], known: Set<string>): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new ConfigError(arg, `Unexpected argument ${arg}.`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    if (!known.has(name)) {
      throw new ConfigError(
        `--${name}`,
        `Unknown flag --${name}; known: ${[...known].map((k) => `--${k}`).join(', ')}.`,
      );
    }
    let value: string | undefined = eq < 0 ? argv[i + 1] : arg.slice(eq + 1);
    if (eq < 0) {
      if (value === undefined || value.startsWith('--')) value = 'true';
      else i++;
    }
    flags.set(name, value ?? 'true');
  }
  return flags;
}

/** O(settings). A plain-text table of the settings, for `--help` and the README. */
export function describeSettings(spec: SettingsSpec): string {
  return Object.values(spec)
    .map(
      (s) => `  --${s.flag.padEnd(18)} ${s.env.padEnd(20)} ${s.doc} (default ${JSON.stringify(s.default)})`,
    )
    .join('\n');
}
