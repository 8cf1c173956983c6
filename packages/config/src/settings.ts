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
  /** The text `parse` reads back as the value, when `String(value)` is not it. */
  format?(value: T): string;
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

/** O(1). The text a setting's parser reads back as `value`: booleans as 1/0, lists comma-joined. */
export function formatSetting<T>(s: Setting<T>, value: T): string {
  if (s.format) return s.format(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (Array.isArray(value)) return value.join(',');
  return String(value);
}

/** O(settings). Every setting's default: the configuration of a process given nothing. */
export function settingsDefaults<S extends SettingsSpec>(spec: S): SettingsOf<S> {
  return Object.fromEntries(Object.entries(spec).map(([k, s]) => [k, s.default])) as SettingsOf<S>;
}

/**
 * O(settings). The environment variables that make `readSettings(spec)` read back `values` (only
 * the settings given): how a parent hands a typed configuration to a child process.
 */
export function settingsEnv<S extends SettingsSpec>(
  spec: S,
  values: Partial<SettingsOf<S>>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, s] of Object.entries(spec)) {
    if (key in values) env[s.env] = formatSetting(s, (values as Record<string, unknown>)[key]);
  }
  return env;
}

/**
 * O(settings of both). The environment for a child whose settings are `child`, from the values of
 * a parent's settings `parent`: every child setting that the parent has too (the same variable) is
 * passed on as the parent's value. The child's other settings keep their defaults or the
 * environment.
 */
export function passOnSettings<P extends SettingsSpec>(
  parent: P,
  values: SettingsOf<P>,
  child: SettingsSpec,
): Record<string, string> {
  const wanted = new Set(Object.values(child).map((s) => s.env));
  const env: Record<string, string> = {};
  for (const [key, s] of Object.entries(parent)) {
    if (wanted.has(s.env)) env[s.env] = formatSetting(s, (values as Record<string, unknown>)[key]);
  }
  return env;
}

/** O(settings). A plain-text table of the settings, for `--help` and the README. */
export function describeSettings(spec: SettingsSpec): string {
  return Object.values(spec)
    .map(
      (s) => `  --${s.flag.padEnd(18)} ${s.env.padEnd(20)} ${s.doc} (default ${JSON.stringify(s.default)})`,
    )
    .join('\n');
}
