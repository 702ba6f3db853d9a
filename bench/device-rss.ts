/**
 * bench/device-rss: steady-state memory of `iot device --sensor sim --read-interval 1` with the
 * sim camera every 5 s (and with --camera off), as the compiled x64 binary and from source,
 * against an `iot serve`. After a warm-up, /proc/<pid>/status is sampled every second: VmRSS,
 * RssAnon (heap: what the agent itself holds) and RssFile (mapped files: the binary, libvips).
 * Target: < 80 MB.
 *
 *   bun bench/device-rss.ts [--quick]
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compile } from "../scripts/compile.ts";
import { percentile, root, startServe, table } from "./lib.ts";

const quick = process.argv.includes("--quick");
const warmupS = quick ? 5 : 20;
const sampleS = quick ? 10 : 60;
const dir = mkdtempSync(join(tmpdir(), "iot-bench-device-"));

function status(pid: number): { rss: number; anon: number; file: number } {
  const text = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(text)?.[1] ?? NaN);
  return { rss: kb("VmRSS") / 1024, anon: kb("RssAnon") / 1024, file: kb("RssFile") / 1024 };
}

try {
  const binary = join(dir, "iot");
  await compile({ root, entry: join(root, "src/main.ts"), target: "linux-x64", outfile: binary });
  const serve = await startServe(join(dir, "serve"), "all");
  const variants = [
    { name: "compiled, camera sim", cmd: [binary], camera: "sim" },
    { name: "compiled, camera sim, --smol", cmd: [binary], camera: "sim", smol: true },
    { name: "compiled, camera off", cmd: [binary], camera: "off" },
    {
      name: "source, camera sim",
      cmd: [process.execPath, join(root, "src/main.ts")],
      camera: "sim",
    },
    {
      name: "source, camera off",
      cmd: [process.execPath, join(root, "src/main.ts")],
      camera: "off",
    },
  ];
  const rows = [];
  for (const [i, v] of variants.entries()) {
    const id = `bench-${i}`;
    const proc = Bun.spawn(
      [
        ...v.cmd,
        ...["device", "--id", id, "--server", `mqtt://127.0.0.1:${serve.ports.mqtt}`],
        ...["--data-dir", join(dir, id), "--sensor", "sim", "--camera", v.camera],
        ...["--read-interval", "1", "--snapshot-interval", "5"],
      ],
      {
        stdout: "ignore",
        stderr: "inherit",
        // Bun's smaller-heap mode (more frequent GC); the compiled binary reads BUN_OPTIONS
        env: "smol" in v ? { ...process.env, BUN_OPTIONS: "--smol" } : process.env,
      },
    );
    await Bun.sleep(warmupS * 1000);
    const samples: Array<ReturnType<typeof status>> = [];
    for (let s = 0; s < sampleS; s++) {
      samples.push(status(proc.pid));
      await Bun.sleep(1000);
    }
    proc.kill("SIGTERM");
    const code = await proc.exited;
    const http = `http://127.0.0.1:${serve.ports.http}`;
    const readings = (
      (await (await fetch(`${http}/api/readings?device_id=${id}&limit=10000`)).json()) as unknown[]
    ).length;
    const images = (
      (await (await fetch(`${http}/api/images?device_id=${id}&limit=1000`)).json()) as unknown[]
    ).length;
    const med = (k: "rss" | "anon" | "file") =>
      percentile(
        samples.map((x) => x[k]).sort((a, b) => a - b),
        50,
      );
    rows.push({
      variant: v.name,
      "VmRSS MB (median)": med("rss"),
      "VmRSS MB (max)": Math.max(...samples.map((x) => x.rss)),
      "RssAnon MB": med("anon"),
      "RssFile MB": med("file"),
      readings,
      images,
      exit: code,
    });
  }
  await serve.stop();
  console.log(table(rows));
  mkdirSync(join(root, "bench/results"), { recursive: true });
  writeFileSync(
    join(root, "bench/results/device-rss.json"),
    JSON.stringify({ date: new Date().toISOString(), quick, warmupS, sampleS, rows }, null, 2) +
      "\n",
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
