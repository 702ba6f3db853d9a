/**
 * Run by lazy-modules.test.ts in a process of its own (the module registry is per process):
 * starts `iot serve` in this process with the flags given, waits for /healthz, then prints the
 * npm packages and source files loaded as JSON on stdout, and stops.
 */
import { parseArgs, resolveOptions } from "../../src/core/config/index.ts";
import { silentLogger } from "../../src/core/log/index.ts";
import { serveOptions, startServe } from "../../src/serve/index.ts";
import { freePort, waitForHttp } from "../support/net.ts";

const [dataDir, ...extra] = process.argv.slice(2);
const http = await freePort();
const flags = parseArgs(
  [
    ...["--data-dir", dataDir!, "--http-port", String(http)],
    ...["--kafka-port", String(await freePort()), "--mqtt-port", String(await freePort())],
    ...extra,
  ],
  serveOptions.specs,
  "serve",
).flags;
const running = await startServe(resolveOptions(serveOptions, flags, {}), silentLogger);
try {
  await waitForHttp(`http://127.0.0.1:${http}/healthz`, 30_000);
  const loaded = Object.keys(require.cache);
  const packages = new Set<string>();
  for (const path of loaded) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
    if (m) packages.add(m[1]!);
  }
  process.stdout.write(JSON.stringify({ packages: [...packages].sort(), files: loaded }) + "\n");
} finally {
  await running.stop();
}
process.exit(0);
