export { hostName, hostPolicy, type HostPolicy } from "./hosts.ts";
export { crossOriginGuard } from "./cross-origin.ts";
export { bodyKind, unsupported, writeContentTypes, type BodyKind } from "./content-type.ts";
