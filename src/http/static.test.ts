import { describe, expect, test } from "bun:test";
import { gunzipSync } from "node:zlib";
import { staticAssets } from "./static.ts";

describe("static assets", () => {
  test("uPlot and the chart script come from the binary, uPlot's CSS is in the one stylesheet", async () => {
    for (const [name, marker] of [
      ["uPlot.iife.min.js", "uPlot"],
      ["charts.js", "_uplot"],
    ] as const) {
      const res = await staticAssets.request(`/${name}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("javascript");
      expect(await res.text()).toContain(marker);
    }
    expect(await (await staticAssets.request("/app.css")).text()).toContain(".uplot");
  });

  test("gzip when the browser takes it, the same bytes once inflated", async () => {
    const plain = await (await staticAssets.request("/uPlot.iife.min.js")).text();
    const res = await staticAssets.request("/uPlot.iife.min.js", {
      headers: { "accept-encoding": "gzip, deflate, br" },
    });
    expect(res.headers.get("content-encoding")).toBe("gzip");
    expect(res.headers.get("vary")).toBe("accept-encoding");
    const body = new Uint8Array(await res.arrayBuffer());
    expect(body.length).toBeLessThan(plain.length / 2);
    expect(gunzipSync(body).toString("utf8")).toBe(plain);
  });
});
