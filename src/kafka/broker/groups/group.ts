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
  /**
   * Topics deleted since this generation was formed: its members' positions in them belong to
   * the deleted incarnation, so their commits for them are refused until they rejoin.
   */
  readonly fencedTopics = new Set<string>();

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

  /** Whether some member may be consuming `topic` (unreadable subscriptions count as yes). */
  mayConsume(topic: string): boolean {
    for (const m of this.members.values()) {
      if (m.protocols.length === 0) return true;
      for (const p of m.protocols) {
        const topics = this.protocolType === "consumer" ? subscribedTopics(p.metadata) : null;
        if (topics === null || topics.includes(topic)) return true;
      }
    }
    return false;
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

/**
 * The topics in a "consumer" protocol's member metadata (version int16, [topic string],
 * user_data bytes), or null when it cannot be read.
 */
export function subscribedTopics(metadata: Uint8Array): string[] | null {
  try {
    const v = new DataView(metadata.buffer, metadata.byteOffset, metadata.byteLength);
    let pos = 2;
    const n = v.getInt32(pos);
    pos += 4;
    if (n < 0 || n > 10_000) return null;
    const topics: string[] = [];
    for (let i = 0; i < n; i++) {
      const len = v.getInt16(pos);
      pos += 2;
      if (len < 0 || pos + len > metadata.byteLength) return null;
      topics.push(Buffer.from(metadata.buffer, metadata.byteOffset + pos, len).toString("utf8"));
      pos += len;
    }
    return topics;
  } catch {
    return null; // shorter than it says
  }
}
