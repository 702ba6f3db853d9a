import { run } from "./run.ts";

/** Everything in a topic (or one partition of it), read with kcat to the end, one line a record. */
export async function kcatRead(
  address: string,
  topic: string,
  opts: { partition?: number; format?: string } = {},
): Promise<string[]> {
  const args = ["kcat", "-b", address, "-C", "-t", topic, "-o", "beginning", "-e", "-q"];
  if (opts.partition !== undefined) args.push("-p", String(opts.partition));
  if (opts.format) args.push("-f", opts.format);
  const r = await run(args, { timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`kcat -C ${topic} exited ${r.code}: ${r.stderr}`);
  return r.stdout.split("\n").filter((l) => l !== "");
}
