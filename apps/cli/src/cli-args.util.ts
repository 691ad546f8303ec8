export interface ParsedArgs {
  command: string | undefined;
  options: Record<string, string | true>;
  positionals: string[];
}

/**
 * `operator:create --user-id ID --email=ADDR --password-stdin` → command, options, positionals.
 * A flag followed by another flag (or nothing) is a boolean; `--name=value` and `--name value` both work.
 */
export function parseCliArgs(argv: readonly string[]): ParsedArgs {
  const [command, ...rest] = argv;
  const options: Record<string, string | true> = {};
  const positionals: string[] = [];
  for (let index = 0; index < rest.length; index++) {
    const arg = rest[index];
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const equals = arg.indexOf('=');
    if (equals > 2) {
      options[arg.slice(2, equals)] = arg.slice(equals + 1);
      continue;
    }
    const next = rest[index + 1];
    if (next !== undefined && !next.startsWith('--')) {
      options[arg.slice(2)] = next;
      index++;
    } else {
      options[arg.slice(2)] = true;
    }
  }
  return { command, options, positionals };
}
