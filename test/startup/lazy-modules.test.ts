/**
 * Start-up loads only what the configuration uses: with its own brokers (the default) `iot serve`
 * talks to Kafka in-process, commands go through its own MQTT broker and the store is SQLite,
 * so kafkajs, the mqtt.js client and the PostgreSQL store stay unloaded (each costs module
 * evaluation at every start, and memory). When the pipeline talks Kafka over TCP, kafkajs is loaded.
 */
import { afterAll, expect, test } from "bun:test";
import { join } from "node:path";
import { tempDirs } from "../support/temp.ts";

const dirs = tempDirs("iot-lazy-");
afterAll(() => dirs.cleanup());

async function loadedBy(args: string[]): Promise<{ packages: string[]; files: string[] }> {
  const p = Bun.spawn([process.execPath, join(import.meta.dir, "loaded-probe.ts"), ...args], {
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([
    new Response(p.stdout).text(),
    new Response(p.stderr).text(),
    p.exited,
  ]);
  if (code !== 0) throw new Error(`probe exited ${code}: ${err}`);
  return JSON.parse(out.trim().split("\n").at(-1)!);
}

test("serve on its own brokers and SQLite loads neither kafkajs, mqtt.js nor the PostgreSQL store", async () => {
  const { packages, files } = await loadedBy([dirs.make()]);
  expect(packages).toContain("aedes"); // the probe does see npm packages
  expect(packages).not.toContain("kafkajs");
  expect(packages).not.toContain("mqtt");
  expect(files.filter((f) => f.includes("/src/store/pg/"))).toEqual([]);
}, 60_000);

test("with --kafka-in-process=false (kafkajs over loopback TCP), kafkajs is loaded", async () => {
  const { packages } = await loadedBy([dirs.make(), "--kafka-in-process=false"]);
  expect(packages).toContain("kafkajs");
}, 60_000);
