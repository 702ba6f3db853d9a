export { ConnectionGate, type GateOptions, type Refusal } from "./connection-gate.ts";
export { fitToFdLimit, openFilesLimit } from "./fd-limit.ts";
export { rateLimited } from "./rate-limited.ts";
