import { expect, test } from "bun:test";
import { areaOf, summarise, type CpuProfile } from "./cpu-profile.ts";

test("areaOf names a package, a folder of ours, or nothing for a native frame", () => {
  expect(areaOf("/work/main/node_modules/aedes/lib/handlers/publish.js")).toBe("aedes");
  expect(areaOf("/work/main/node_modules/@hono/zod-openapi/dist/index.js")).toBe(
    "@hono/zod-openapi",
  );
  expect(areaOf("/work/main/node_modules/zod/src/v3/types.ts")).toBe("zod");
  expect(areaOf("/work/main/src/store/engine/sqlite-ingest.ts")).toBe("src/store");
  expect(areaOf("/work/main/src/main.ts")).toBe("src");
  expect(areaOf("/work/main/device/camera/snap.ts")).toBe("device/camera");
  expect(areaOf("node:net")).toBeNull();
  expect(areaOf("")).toBeNull();
});

// root → main (src/serve) → append (src/kafka) → fdatasync (native); root → (idle); root → GC
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: { functionName: "(root)", url: "", lineNumber: 0 }, children: [2, 5, 6] },
    {
      id: 2,
      callFrame: { functionName: "main", url: "/p/src/serve/start.ts", lineNumber: 1 },
      children: [3],
    },
    {
      id: 3,
      callFrame: { functionName: "append", url: "/p/src/kafka/log.ts", lineNumber: 1 },
      children: [4],
    },
    { id: 4, callFrame: { functionName: "fdatasync", url: "", lineNumber: 0 } },
    { id: 5, callFrame: { functionName: "(idle)", url: "", lineNumber: 0 } },
    { id: 6, callFrame: { functionName: "(garbage collector)", url: "", lineNumber: 0 } },
  ],
  // every sample 1 ms apart: 4 × fdatasync, 1 × append, 3 × idle, 2 × GC
  samples: [4, 4, 4, 4, 3, 5, 5, 5, 6, 6],
  timeDeltas: Array(10).fill(1000),
  startTime: 0,
  endTime: 10_000,
};

test("summarise: native time counts for its caller's area, idle is left out, shares of busy time", () => {
  const s = summarise(profile);
  expect(s.busyMs).toBe(7);
  expect(s.areas).toEqual([
    { name: "src/kafka", ms: 5, share: 5 / 7 },
    { name: "garbage collector", ms: 2, share: 2 / 7 },
  ]);
  expect(s.functions[0]).toEqual({
    name: "fdatasync — native, for src/kafka",
    ms: 4,
    share: 4 / 7,
  });
  expect(s.functions[1]!.name).toBe("(garbage collector) — native, for garbage collector");
  expect(s.functions[2]!.name).toBe("append — src/kafka/log.ts");
});

test("summarise({ lastMs }) keeps only the end of the profile", () => {
  // the last 6 ms: one fdatasync, one append, three idle, two GC samples
  const s = summarise(profile, { lastMs: 6 });
  expect(s.busyMs).toBe(4);
  expect(s.areas.map((a) => a.name)).toEqual(["src/kafka", "garbage collector"]);
  expect(summarise(profile, { lastMs: 2 }).areas).toEqual([
    { name: "garbage collector", ms: 2, share: 1 },
  ]);
});

test("a function named like an Object.prototype member is not taken for a special frame", () => {
  const p: CpuProfile = {
    ...profile,
    nodes: [
      { id: 1, callFrame: { functionName: "(root)", url: "", lineNumber: 0 }, children: [2] },
      { id: 2, callFrame: { functionName: "toString", url: "", lineNumber: 0 } },
    ],
    samples: [2],
    timeDeltas: [1000],
  };
  expect(summarise(p).areas).toEqual([{ name: "runtime (event loop, I/O)", ms: 1, share: 1 }]);
});
