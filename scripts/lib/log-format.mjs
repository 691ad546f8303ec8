// Prefixes each child's output line with its name. A pino JSON line becomes one readable line
// (time, level, message, then the other fields as key=value); MAMORI_LOG_FORMAT=json keeps the raw
// JSON after the prefix, for piping into a log tool.

const LEVELS = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const COLORS = [36, 35, 33, 32, 34, 96, 95];
const LEVEL_COLORS = { WARN: 33, ERROR: 31, FATAL: 31 };
const HIDDEN = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'service']);

export function createLinePrinter({
  names,
  raw = process.env.MAMORI_LOG_FORMAT === 'json',
  color = process.stdout.isTTY,
}) {
  const width = Math.max(...names.map((name) => name.length));
  const paint = (code, text) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const colorOf = new Map(names.map((name, index) => [name, COLORS[index % COLORS.length]]));

  return (name, line) => {
    const prefix = paint(colorOf.get(name) ?? 37, `${name.padEnd(width)} |`);
    if (raw || !line.startsWith('{')) {
      process.stdout.write(`${prefix} ${line}\n`);
      return;
    }
    let entry;
    try {
      entry = JSON.parse(line);
    } catch {
      process.stdout.write(`${prefix} ${line}\n`);
      return;
    }
    const level = LEVELS[entry.level] ?? String(entry.level ?? '');
    const time = typeof entry.time === 'string' ? entry.time.slice(11, 23) : '';
    const fields = Object.entries(entry)
      .filter(([key]) => !HIDDEN.has(key))
      .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join(' ');
    const levelText = LEVEL_COLORS[level] ? paint(LEVEL_COLORS[level], level.padEnd(5)) : level.padEnd(5);
    process.stdout.write(`${prefix} ${time} ${levelText} ${entry.msg ?? ''}${fields ? `  ${fields}` : ''}\n`);
  };
}
