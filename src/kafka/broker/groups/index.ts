export { GroupCoordinator, type CoordinatorOptions, type JoinRequest } from "./coordinator.ts";
export { FileOffsetStore } from "./file-offset-store.ts";
export { MemoryOffsetStore, type OffsetStore, type CommittedOffset } from "./offset-store.ts";
export type { GroupState, JoinResult, SyncResult } from "./group.ts";
