import { describe, expect, test } from "bun:test";
import { createLogger } from "../core/log/index.ts";
import { MetricsRegistry } from "../metrics/index.ts";
import { ConnectionGate } from "./connection-gate.ts";
import { rateLimited } from "./rate-limited.ts";

describe("ConnectionGate", () => {
  test("caps open connections and pending ones per address; logs once per burst; counts each", () => {
    const lines: string[] = [];
    const metrics = new MetricsRegistry();
    const gate = new ConnectionGate({
      listener: "kafka",
      maxConnections: 3,
      maxPendingPerAddress: 2,
      log: createLogger("warn", "t", (l) => lines.push(l)),
      metrics,
    });
    expect(gate.admit("a")).toBeNull();
    expect(gate.admit("a")).toBeNull();
    expect(gate.admit("a")).toBe("max-pending-per-address");
    gate.established("a"); // one logged in: room for another pending one
    expect(gate.admit("a")).toBeNull();
    expect(gate.admit("b")).toBe("max-connections");
    gate.closed("a", true);
    expect(gate.admit("b")).toBeNull();
    expect(gate.connections).toBe(3);
    expect(lines).toHaveLength(1); // the second refusal fell in the same 10 s
    expect(metrics.render()).toContain(
      'iot_connections_refused_total{listener="kafka",reason="max-connections"} 1',
    );
  });
});

describe("rateLimited", () => {
  test("one line per interval, with the count of what it left out", () => {
    let now = 0;
    const out: Array<[string, unknown]> = [];
    const log = rateLimited(
      (m, f) => out.push([m, f]),
      1000,
      () => now,
    );
    log("x", { n: 1 });
    log("x", { n: 2 });
    log("x", { n: 3 });
    now = 1500;
    log("x", { n: 4 });
    expect(out).toEqual([
      ["x", { n: 1 }],
      ["x", { n: 4, alsoSince: 2 }],
    ]);
  });
});
