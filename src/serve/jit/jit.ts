/**
 * `--jit`: how far JavaScriptCore compiles `iot serve`'s hot code.
 *
 * At a steady 1,000 readings/s the hot functions reach the FTL (the top tier) one by one over
 * the first minute or two, so the JIT thread keeps compiling long after start (~4-6 % of a core,
 * measured 10-25 s in; ~80 % of that time is FTL compiles, the rest DFG recompiles after OSR
 * exits). `steady` runs without the FTL: what is hot is compiled by the DFG within seconds and
 * then compiling stops (JIT thread ~0.5 %); at saturation serve's CPU per reading measured the
 * same, syscalls rather than JavaScript being most of it. `full` (the default) keeps every tier.
 *
 * JavaScriptCore reads its options once, before any JavaScript runs (BUN_JSC_* environment
 * variables); so `steady` replaces the process by itself with that variable set (execve: same
 * pid, same open stdio), before serve loads its modules or opens anything. That second start
 * costs ~100 ms of CPU (the runtime and the bundle's bytecode load again), hence not the default:
 * measured on the binary, interleaved, start to /healthz 185-194 ms with every tier against
 * 249-289 ms steady (target ≤ 300), for ~3 points of a core less at 1,000 readings/s.
 */
export const jitModes = ["steady", "full"] as const;
export type JitMode = (typeof jitModes)[number];

/** the variable Bun passes on to JavaScriptCore's `useFTLJIT` */
export const ftlVariable = "BUN_JSC_useFTLJIT";

/**
 * What `steady` sets. Besides the FTL: no "JSCWarmUp" thread pre-touching heap blocks for the
 * allocator (~0.5 % of a core at 1,000 readings/s, measured). Bun refuses to start on a name
 * JavaScriptCore does not know, so test/startup/jit.test.ts starts serve with these.
 */
export const steadyVariables: Readonly<Record<string, string>> = {
  [ftlVariable]: "0",
  BUN_JSC_useWarmUpMarkedBlocks: "0",
};

export type Env = Record<string, string | undefined>;

/**
 * The environment to start again with, or null when this process already runs as `mode` asks
 * (or its user chose the FTL setting themselves: theirs wins, and nothing restarts twice).
 */
export function jitRestartEnv(mode: JitMode, env: Env): Env | null {
  if (mode === "full" || env[ftlVariable] !== undefined) return null;
  return { ...env, ...steadyVariables };
}

/** The same command again: the binary with its arguments, or bun with its flags and script. */
export function sameCommand(p: {
  execPath: string;
  execArgv: string[];
  argv: string[];
  standalone: boolean;
}): string[] {
  const args = p.argv.slice(2);
  return p.standalone ? [p.execPath, ...args] : [p.execPath, ...p.execArgv, p.argv[1]!, ...args];
}

/**
 * Becomes `iot serve` again with the JIT `mode` asks for; returns (having done nothing) when no
 * restart is needed or the runtime cannot execve, so serve then runs with every tier.
 */
export function applyJitMode(mode: JitMode, warn: (why: string) => void): void {
  const env = jitRestartEnv(mode, process.env);
  if (!env) return;
  const execve = (process as { execve?: (f: string, a: string[], e: Env) => never }).execve;
  if (typeof execve !== "function") return warn("this runtime cannot execve");
  const argv = sameCommand({
    execPath: process.execPath,
    execArgv: process.execArgv,
    argv: process.argv,
    // a compiled binary's own modules live in Bun's embedded file system
    standalone: Bun.main.startsWith("/$bunfs/"),
  });
  try {
    execve.call(process, process.execPath, argv, env);
  } catch (e) {
    warn((e as Error).message);
  }
}
