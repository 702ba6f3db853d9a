import mqtt from "mqtt";
const clients = await Promise.all(Array.from({ length: 4 }, (_, i) => mqtt.connectAsync("mqtt://127.0.0.1:18841", { clientId: `b${i}` })));
const total = 40000; let next = 0; const t0 = performance.now();
await Promise.all(clients.map(async (c) => { const inflight = new Set<Promise<unknown>>(); while (next < total) { next++; const p = c.publishAsync("iot/x/telemetry", '{"ts":1,"temperature":2}', { qos: 1 }); inflight.add(p); p.finally(() => inflight.delete(p)); if (inflight.size >= 500) await Promise.race(inflight); } await Promise.all(inflight); }));
console.log("rate", Math.round(total / ((performance.now() - t0) / 1000)));
process.exit(0);
