/**
 * Stand-ins for hardware tools (rpicam-still, rpicam-vid, ffmpeg): shell scripts in a directory
 * put first on PATH. Each records its arguments so a test can check the command line.
 */
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export function fakeTools(dir: string) {
  return {
    dir,
    /** the environment to run tools in: this process's, with the fakes first on PATH */
    env: { ...process.env, PATH: `${dir}:${process.env.PATH}` } as Record<
      string,
      string | undefined
    >,
    /** Writes `name` as a /bin/sh script running `body`; `args()` is how it was last called. */
    install(name: string, body: string) {
      const file = join(dir, name);
      writeFileSync(file, `#!/bin/sh\nprintf "%s " "$@" > "${file}.args"\n${body}\n`);
      chmodSync(file, 0o755);
      return { args: () => readFileSync(`${file}.args`, "utf8").trim() };
    },
  };
}
