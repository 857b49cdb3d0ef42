/** `--name value` / `--flag` command-line options, for the small CLI scripts. */
export function parseArgs(argv: string[]): Record<string, string | true> {
  const out: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) continue;
    const eq = arg.indexOf('=');
    if (eq > 0) {
      out[arg.slice(2, eq)] = arg.slice(eq + 1);
    } else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) {
      out[arg.slice(2)] = argv[++i]!;
    } else {
      out[arg.slice(2)] = true;
    }
  }
  return out;
}

export function fail(message: string): never {
  console.error(message);
  process.exit(2);
}
