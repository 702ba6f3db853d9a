/**
 * One consumer group's state, the classic (pre-KIP-848) group protocol's state machine: Empty →
 * PreparingRebalance → CompletingRebalance → Stable. Metadata and assignments are opaque bytes
 * routed between members; the assignment itself is computed by the leader client.
 */
export type GroupState = "Empty" | "PreparingRebalance" | "CompletingRebalance" | "Stable";

export interface JoinResult {
  errorCode: number;
  generationId: number;
  protocolName: string;
  leader: string;
  memberId: string;
  members: Array<{ memberId: string; groupInstanceId: string | null; metadata: Uint8Array }>;
}

export interface SyncResult {
  errorCode: number;
  assignment: Uint8Array;
}

export interface Member {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocols: Array<{ name: string; metadata: Uint8Array }>;
  assignment: Uint8Array;
  lastSeen: number;
  /** a parked JoinGroup / SyncGroup waiting for the rebalance to progress */
  joinWaiter: ((r: JoinResult) => void) | null;
  syncWaiter: ((r: SyncResult) => void) | null;
}

export const EMPTY = new Uint8Array(0);

export class Group {
  state: GroupState = "Empty";
  generationId = 0;
  protocolType: string | null = null;
  protocolName: string | null = null;
  leaderId: string | null = null;
  readonly members = new Map<string, Member>();
  /** ids handed out with MEMBER_ID_REQUIRED, not yet joined (KIP-394) */
  readonly pending = new Set<string>();
  rebalanceTimer: ReturnType<typeof setTimeout> | null = null;
  /** no join completes before this time (batches the first members of a new group) */
  notBefore = 0;

  constructor(readonly groupId: string) {}

  /** The first protocol of the leader's list that every member (and `extra`) supports. */
  commonProtocol(extra?: Array<{ name: string }>): string | null {
    const lists = [...this.members.values()].map((m) => m.protocols.map((p) => p.name));
    if (extra) lists.push(extra.map((p) => p.name));
    if (lists.length === 0) return null;
    const leader = (this.leaderId && this.members.get(this.leaderId)?.protocols) || null;
    const candidates = leader ? leader.map((p) => p.name) : lists[0]!;
    return candidates.find((name) => lists.every((l) => l.includes(name))) ?? null;
  }

  allJoined(): boolean {
    for (const m of this.members.values()) if (!m.joinWaiter) return false;
    return this.members.size > 0;
  }

  maxRebalanceTimeout(): number {
    let max = 0;
    for (const m of this.members.values()) max = Math.max(max, m.rebalanceTimeoutMs);
    return max;
  }
}

/** True when some protocol name appears in every list. */
export function sharesAProtocol(lists: Array<Array<{ name: string }>>): boolean {
  if (lists.length === 0) return true;
  return lists[0]!.some((p) => lists.every((l) => l.some((q) => q.name === p.name)));
}
