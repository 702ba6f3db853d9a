/**
 * Structured logs: one line per event, `time level component message key=value…`.
 * Quiet by default (warn); `--log-level` raises it. Writes to stderr so stdout stays for data.
 */
export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export type Fields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  child(component: string): Logger;
  enabled(level: LogLevel): boolean;
}

export type Sink = (line: string) => void;

const stderrSink: Sink = (line) => process.stderr.write(line + "\n");

export function createLogger(
  level: LogLevel = "warn",
  component = "iot",
  sink: Sink = stderrSink,
): Logger {
  const threshold = rank[level];
  const emit = (lvl: Exclude<LogLevel, "silent">, msg: string, fields?: Fields) => {
    if (rank[lvl] < threshold) return;
    sink(formatLine(new Date(), lvl, component, msg, fields));
  };
  return {
    debug: (m, f) => emit("debug", m, f),
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
    child: (name) => createLogger(level, `${component}.${name}`, sink),
    enabled: (lvl) => rank[lvl] >= threshold,
  };
}

/** A logger that drops everything: the default for tests and library callers. */
export const silentLogger: Logger = createLogger("silent");

export function formatLine(
  time: Date,
  level: string,
  component: string,
  msg: string,
  fields?: Fields,
): string {
  let line = `${time.toISOString()} ${level.toUpperCase().padEnd(5)} ${component} ${msg}`;
  if (fields) for (const [k, v] of Object.entries(fields)) line += ` ${k}=${formatValue(v)}`;
  return line;
}

function formatValue(v: unknown): string {
  if (v instanceof Error) return JSON.stringify(v.message);
  if (typeof v === "string") return /^[\w.:/@-]*$/.test(v) && v !== "" ? v : JSON.stringify(v);
  return typeof v === "object" && v !== null ? JSON.stringify(v) : String(v);
}

export function isLogLevel(v: string): v is LogLevel {
  return v in rank;
}
