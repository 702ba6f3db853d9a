export { MetricsRegistry, type Counter, type Gauge, type Labels } from "./registry.ts";
