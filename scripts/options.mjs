// Command-line options of the project's scripts: `--name value` pairs and `--flag` switches.
export const args = process.argv.slice(2);

/** The value after `--name`, or `def` when the option is absent or has no value. */
export function opt(name, def) {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : def;
}
