/**
 * Snapshots in a short-lived child process of this same program (`iot __snapshot <json>`), so
 * the long-running agent never loads sharp and libvips (about 40 MB of a Pi's memory, most of
 * it mapped for good once loaded). The child captures, resizes, stamps, writes the JPEG to
 * stdout and exits.
 */
import type { Logger } from "../../src/core/log/index.ts";
import { createCamera } from "../camera/index.ts";
import { captureStdout } from "../camera/capture.ts";
import { stillCommand } from "../camera/commands.ts";
import { embeddedLibvips } from "../../src/core/image/sharp/embedded.ts";
import { locateTool } from "../tools/index.ts";
import type { Camera } from "../types.ts";
import type { SnapshotRequest } from "./request.ts";

export type { SnapshotRequest } from "./request.ts";

/** How to run this program again: the binary itself, or bun with the entry script. */
export function selfCommand(): string[] {
  const compiled = embeddedLibvips !== null || Bun.main.startsWith("/$bunfs/");
  return compiled ? [process.execPath] : [process.execPath, Bun.main];
}

export function createSnapshotCamera(
  req: SnapshotRequest,
  log: Logger,
  opts: { timeoutMs?: number; self?: string[] } = {},
): Camera {
  if (req.kind !== "sim") locateTool(stillCommand(req.kind, req.width, req.height)[0]!);
  const self = opts.self ?? selfCommand();
  const capture = { timeoutMs: opts.timeoutMs ?? 40_000, log: log.child("camera") };
  // this program cannot run itself (e.g. under qemu-user without binfmt): snapshots in-process
  let inProcess: Promise<Camera> | undefined;
  const take = async (now: Date) => {
    if (inProcess) return (await inProcess).snapshot(now);
    const args = [...self, "__snapshot", JSON.stringify({ ...req, at: now.getTime() })];
    try {
      return await captureStdout(args, capture);
    } catch (e) {
      const code = (e as { code?: string }).code;
      // 127: the exec in the child failed (how posix_spawn reports it, e.g. under qemu-user)
      const cannotRun =
        ["ENOEXEC", "EACCES", "ENOENT"].includes(code ?? "") ||
        /exited with code 127: \(no stderr\)/.test((e as Error).message);
      if (!cannotRun) throw e;
      log.warn("cannot start a snapshot process; taking snapshots in this one", { err: e });
      inProcess = createCamera({ ...req, log });
      return (await inProcess).snapshot(now);
    }
  };
  // one capture at a time: a second rpicam-still would find the camera busy and fail
  let last: Promise<unknown> = Promise.resolve();
  return {
    name: `${req.kind} (in a child process)`,
    snapshot(now) {
      const next = last.then(() => take(now));
      last = next.catch(() => {});
      return next;
    },
    close: async () => {
      await last;
    },
  };
}
