/**
 * data-dir: two `iot serve` on one data dir. During an MQTT 5 QoS 1 load on the first, a second
 * is started one after the other (other ports): it must refuse at once naming the first's PID
 * while the first keeps serving. Then the first is killed -9 and two are started together on
 * its ports: one must refuse, naming the other, which takes over; the publishers reconnect to
 * it. Every PUBACKed reading must be stored once.
 */
import { join } from "node:path";
import {
  freePorts,
  removeDir,
  sleep,
  spawnIot,
  startServe,
  tail,
  tempDir,
  type Ports,
  type Serve,
} from "./lib.ts";
import { PublisherPool } from "./publishers.ts";
import { result } from "./result.ts";
import { countStored, readReadings, waitForAllStored } from "./store.ts";
import type { Scenario, ScenarioOptions, ScenarioResult } from "./types.ts";
import { waitForHttp } from "../../test/support/net.ts";

const name = "data-dir";
type Proc = ReturnType<typeof Bun.spawn>;

export const dataDir: Scenario = {
  name,
  description:
    "a second `iot serve` on the same data dir, started beside a loaded one and then together with another after a kill -9: the second refuses at once naming the holder's PID, the first keeps serving, every PUBACKed reading is stored once",
  async run({ quick, log }: ScenarioOptions): Promise<ScenarioResult> {
    const t0 = Date.now();
    const [durationS, secondAtS, togetherAtS] = quick ? [12, 2, 5] : [40, 5, 15];
    const publishers = 4;
    const rate = 100;
    const dir = tempDir(name);
    const data = join(dir, "data");
    const ports = await freePorts();
    const notes = [
      `${publishers} mqtt.js publishers (MQTT 5, QoS 1, ≤ 20 in flight each) at ${rate} msg/s each for ${durationS} s; a second serve at ${secondAtS} s, kill -9 and two together at ${togetherAtS} s`,
    ];
    const failures: string[] = [];
    let serve: Serve = await startServe({ dataDir: data, ports, logDir: dir });
    const prefix = `chaos-datadir-${Date.now().toString(36)}`;
    const pool = new PublisherPool({
      url: `mqtt://127.0.0.1:${ports.mqtt}`,
      prefix,
      publishers,
      rate,
      window: 20,
    });
    const extra: Proc[] = [];
    try {
      await pool.start();
      const loadStart = Date.now();

      // one after the other: a second serve on the same data dir, its own ports
      await sleep(Math.max(0, loadStart + secondAtS * 1000 - Date.now()));
      const second = await startRefused(data, await freePorts(), join(dir, "second.log"));
      extra.push(second.proc);
      const firstPid = serve.proc.pid;
      checkRefusal(second, data, firstPid, "the second serve", failures);
      const stillUp = await fetch(`http://127.0.0.1:${ports.http}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (!stillUp) failures.push("the first serve stopped answering /healthz after the refusal");
      notes.push(
        `second serve (other ports) exited ${second.code} after ${second.ms} ms: "${second.line}"; the first still answered /healthz: ${stillUp}`,
      );
      log(`${name}: second serve refused in ${second.ms} ms`);

      // together: after a kill -9 of the first, two start at once on its ports
      await sleep(Math.max(0, loadStart + togetherAtS * 1000 - Date.now()));
      await serve.kill9();
      const down = Date.now();
      const pair = [0, 1].map((i) =>
        spawnIot(serveArgs(data, ports), join(dir, `together-${i}.log`)),
      );
      extra.push(...pair);
      const loserIndex = await Promise.race([
        ...pair.map((p, i) => p.exited.then(() => i)),
        sleep(30_000).then(() => -1),
      ]);
      if (loserIndex < 0) {
        failures.push("neither of two serves started together refused within 30 s");
        throw new Error(failures.join("; "));
      }
      const loser = pair[loserIndex]!;
      const winner = pair[1 - loserIndex]!;
      const loserResult = {
        code: loser.exitCode!,
        ms: Date.now() - down,
        line: tail(join(dir, `together-${loserIndex}.log`), 1),
        proc: loser,
      };
      checkRefusal(loserResult, data, winner.pid, "one of the two started together", failures);
      await waitForHttp(`http://127.0.0.1:${ports.http}/healthz`, 60_000);
      if (winner.exitCode !== null) failures.push("the other of the two exited too");
      serve = asServe(winner, ports, data);
      notes.push(
        `kill -9 of the first, then two started together on its ports: one exited ${loserResult.code} after ${loserResult.ms} ms ("${loserResult.line}"), the other served again after ${((Date.now() - down) / 1000).toFixed(1)} s`,
      );
      log(`${name}: two together: one refused, PID ${winner.pid} serves`);

      await sleep(Math.max(0, loadStart + durationS * 1000 - Date.now()));
      await pool.stop(30_000);
      log(`${name}: load done, ${pool.sent.size} sent, ${pool.acked.size} acknowledged`);
      if (pool.pending > 0) notes.push(`${pool.pending} messages never PUBACKed within 30 s`);
      const complete = await waitForAllStored(data, prefix, pool.sent, pool.acked, 60_000);
      if (!complete) notes.push("not every acknowledged message was stored within 60 s");
      await pool.close();
      const stopCode = await serve.stop();
      if (stopCode !== 0) failures.push(`the serving process exited ${stopCode} on SIGTERM`);
      const counts = countStored(pool.sent, pool.acked, readReadings(data, prefix));
      notes.push(...failures.map((f) => `FAILED: ${f}`));
      return result(name, counts, t0, notes, failures.length === 0);
    } finally {
      await pool.close();
      await serve.stop();
      for (const p of extra) p.kill("SIGKILL");
      removeDir(dir);
    }
  },
};

function serveArgs(data: string, ports: Ports): string[] {
  return [
    "serve",
    "--data-dir",
    data,
    "--http-port",
    String(ports.http),
    "--mqtt-port",
    String(ports.mqtt),
    "--kafka-port",
    String(ports.kafka),
  ];
}

interface Refusal {
  code: number | "running";
  ms: number;
  line: string;
  proc: Proc;
}

/** Starts a serve that should refuse; how it ended within 15 s, and its last stderr line. */
async function startRefused(data: string, ports: Ports, logFile: string): Promise<Refusal> {
  const t = Date.now();
  const proc = spawnIot(serveArgs(data, ports), logFile);
  const code = await Promise.race([proc.exited, sleep(15_000).then(() => "running" as const)]);
  return { code, ms: Date.now() - t, line: tail(logFile, 1), proc };
}

function checkRefusal(r: Refusal, data: string, holder: number, who: string, out: string[]) {
  if (r.code === "running" || r.code === 0) out.push(`${who} did not refuse (${r.code})`);
  const expected = `data dir ${data} is in use by iot serve (PID ${holder})`;
  if (!r.line.includes(expected)) out.push(`${who} said "${r.line}", not "${expected}"`);
  if (r.line.includes("\n")) out.push(`${who} wrote more than one line`);
}

/** A serve process spawned here, with the stop/kill of lib's startServe. */
function asServe(proc: Proc, ports: Ports, data: string): Serve {
  return {
    proc,
    ports,
    dataDir: data,
    async kill9() {
      proc.kill("SIGKILL");
      await proc.exited;
    },
    async stop() {
      if (proc.exitCode !== null) return proc.exitCode;
      proc.kill("SIGTERM");
      const t = setTimeout(() => proc.kill("SIGKILL"), 20_000);
      const code = await proc.exited;
      clearTimeout(t);
      return code;
    },
  };
}
