/**
 * The group coordinator of a single-node broker: join/sync barriers, heartbeats, leaves,
 * session expiry and committed offsets. Returns Kafka error codes; never throws on input.
 */
import { randomUUID } from "node:crypto";
import { ErrorCode } from "../../protocol/errors.ts";
import { silentLogger, type Logger } from "../../../core/log/index.ts";
import {
  EMPTY,
  Group,
  sharesAProtocol,
  type JoinResult,
  type Member,
  type SyncResult,
} from "./group.ts";
import {
  MemoryOffsetStore,
  type CommitOptions,
  type CommittedOffset,
  type OffsetStore,
} from "./offset-store.ts";

export interface CoordinatorOptions {
  offsetStore?: OffsetStore;
  initialRebalanceDelayMs?: number;
  minSessionTimeoutMs?: number;
  maxSessionTimeoutMs?: number;
  sweepIntervalMs?: number;
  now?: () => number;
  log?: Logger;
}

export interface JoinRequest {
  groupId: string;
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: Array<{ name: string; metadata: Uint8Array }>;
  /** JoinGroup v4+: a new member first gets MEMBER_ID_REQUIRED (KIP-394) */
  requireKnownMemberId: boolean;
  /**
   * how long an empty group waits for more members before its first generation (default: the
   * coordinator's 300 ms); an in-process member, started with its peers, need not wait
   */
  initialDelayMs?: number;
}

const failedJoin = (errorCode: number, memberId = ""): JoinResult => ({
  errorCode,
  generationId: -1,
  protocolName: "",
  leader: "",
  memberId,
  members: [],
});

export class GroupCoordinator {
  readonly offsets: OffsetStore;
  private readonly groups = new Map<string, Group>();
  private readonly now: () => number;
  private readonly log: Logger;
  private readonly sweeper: ReturnType<typeof setInterval>;

  constructor(private readonly opts: CoordinatorOptions = {}) {
    this.offsets = opts.offsetStore ?? new MemoryOffsetStore();
    this.now = opts.now ?? Date.now;
    this.log = opts.log ?? silentLogger;
    this.sweeper = setInterval(() => this.expireSessions(), opts.sweepIntervalMs ?? 1000);
    this.sweeper.unref();
  }

  join(req: JoinRequest): Promise<JoinResult> {
    if (!req.groupId) return Promise.resolve(failedJoin(ErrorCode.INVALID_GROUP_ID));
    const min = this.opts.minSessionTimeoutMs ?? 6000;
    const max = this.opts.maxSessionTimeoutMs ?? 1_800_000;
    if (req.sessionTimeoutMs < min || req.sessionTimeoutMs > max) {
      return Promise.resolve(failedJoin(ErrorCode.INVALID_SESSION_TIMEOUT, req.memberId));
    }
    const group = this.group(req.groupId);
    if (group.members.size > 0 && group.protocolType !== req.protocolType) {
      return Promise.resolve(failedJoin(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, req.memberId));
    }
    const others = [...group.members.values()].filter((m) => m.memberId !== req.memberId);
    if (!sharesAProtocol([...others.map((m) => m.protocols), req.protocols])) {
      // kafkajs (RoundRobinAssigner) and librdkafka (range, roundrobin) cannot share a group
      return Promise.resolve(failedJoin(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, req.memberId));
    }

    let memberId = req.memberId;
    if (memberId === "") {
      memberId = `${req.clientId || "member"}-${randomUUID()}`;
      if (req.requireKnownMemberId) {
        group.pending.add(memberId);
        return Promise.resolve(failedJoin(ErrorCode.MEMBER_ID_REQUIRED, memberId));
      }
    } else if (!group.members.has(memberId) && !group.pending.delete(memberId)) {
      return Promise.resolve(failedJoin(ErrorCode.UNKNOWN_MEMBER_ID, memberId));
    }

    const existing = group.members.get(memberId);
    existing?.joinWaiter?.(failedJoin(ErrorCode.UNKNOWN_MEMBER_ID, memberId)); // superseded
    const member: Member = {
      memberId,
      groupInstanceId: req.groupInstanceId,
      clientId: req.clientId,
      clientHost: req.clientHost,
      sessionTimeoutMs: req.sessionTimeoutMs,
      rebalanceTimeoutMs: req.rebalanceTimeoutMs,
      protocols: req.protocols,
      assignment: existing?.assignment ?? EMPTY,
      lastSeen: this.now(),
      joinWaiter: null,
      syncWaiter: existing?.syncWaiter ?? null,
    };
    group.members.set(memberId, member);
    group.protocolType = req.protocolType;
    return new Promise((resolve) => {
      member.joinWaiter = resolve;
      this.prepareRebalance(
        group,
        group.state === "Empty"
          ? (req.initialDelayMs ?? this.opts.initialRebalanceDelayMs ?? 300)
          : 0,
      );
      this.maybeCompleteJoin(group);
    });
  }

  sync(req: {
    groupId: string;
    generationId: number;
    memberId: string;
    assignments: Array<{ memberId: string; assignment: Uint8Array }>;
  }): Promise<SyncResult> {
    const group = this.groups.get(req.groupId);
    const member = group?.members.get(req.memberId);
    const fail = (errorCode: number) => Promise.resolve({ errorCode, assignment: EMPTY });
    if (!group || !member) return fail(ErrorCode.UNKNOWN_MEMBER_ID);
    if (req.generationId !== group.generationId) return fail(ErrorCode.ILLEGAL_GENERATION);
    if (group.state === "PreparingRebalance") return fail(ErrorCode.REBALANCE_IN_PROGRESS);
    member.lastSeen = this.now();
    if (group.state === "Stable")
      return Promise.resolve({ errorCode: 0, assignment: member.assignment });
    // CompletingRebalance: followers wait for the leader's assignments
    return new Promise((resolve) => {
      member.syncWaiter = resolve;
      if (req.memberId !== group.leaderId) return;
      const byMember = new Map(req.assignments.map((a) => [a.memberId, a.assignment]));
      group.state = "Stable";
      for (const m of group.members.values()) {
        m.assignment = byMember.get(m.memberId) ?? EMPTY;
        m.syncWaiter?.({ errorCode: 0, assignment: m.assignment });
        m.syncWaiter = null;
      }
      this.log.info("group stable", {
        group: group.groupId,
        generation: group.generationId,
        members: group.members.size,
      });
    });
  }

  heartbeat(req: { groupId: string; generationId: number; memberId: string }): {
    errorCode: number;
  } {
    const group = this.groups.get(req.groupId);
    const member = group?.members.get(req.memberId);
    if (!group || !member) return { errorCode: ErrorCode.UNKNOWN_MEMBER_ID };
    if (req.generationId !== group.generationId) return { errorCode: ErrorCode.ILLEGAL_GENERATION };
    member.lastSeen = this.now();
    if (group.state === "PreparingRebalance") return { errorCode: ErrorCode.REBALANCE_IN_PROGRESS };
    return { errorCode: ErrorCode.NONE };
  }

  leave(
    groupId: string,
    members: Array<{ memberId: string }>,
  ): { errorCode: number; members: Array<{ memberId: string; errorCode: number }> } {
    const group = this.groups.get(groupId);
    const results = members.map(({ memberId }) => {
      const m = group?.members.get(memberId);
      if (!group || !m) return { memberId, errorCode: ErrorCode.UNKNOWN_MEMBER_ID };
      this.removeMember(group, m, "left");
      return { memberId, errorCode: ErrorCode.NONE };
    });
    const errorCode = results.length === 1 ? results[0]!.errorCode : ErrorCode.NONE;
    return { errorCode, members: results };
  }

  async commitOffsets(
    req: {
      groupId: string;
      generationId: number;
      memberId: string;
      offsets: CommittedOffset[];
    },
    opts?: CommitOptions,
  ): Promise<number> {
    const group = this.groups.get(req.groupId);
    const standalone = req.generationId < 0 && req.memberId === "";
    if (standalone) {
      if (group && group.members.size > 0) return ErrorCode.UNKNOWN_MEMBER_ID;
    } else {
      const member = group?.members.get(req.memberId);
      if (!group || !member) return ErrorCode.UNKNOWN_MEMBER_ID;
      if (req.generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
      // Commits during PreparingRebalance are how members save progress before rejoining.
      if (group.state === "CompletingRebalance") return ErrorCode.REBALANCE_IN_PROGRESS;
      // a position in a deleted topic must not land in the topic created again under its name
      if (req.offsets.some((o) => group.fencedTopics.has(o.topic)))
        return ErrorCode.REBALANCE_IN_PROGRESS;
      member.lastSeen = this.now();
    }
    await this.offsets.commit(req.groupId, req.offsets, opts);
    return ErrorCode.NONE;
  }

  fetchOffset(groupId: string, topic: string, partition: number): CommittedOffset | undefined {
    return this.offsets.get(groupId, topic, partition);
  }

  describe(groupId: string) {
    const g = this.groups.get(groupId);
    if (!g) {
      const known = this.offsets.groups().includes(groupId);
      return {
        errorCode: 0,
        groupId,
        state: known ? "Empty" : "Dead",
        protocolType: "",
        protocolName: "",
        members: [],
      };
    }
    return {
      errorCode: 0,
      groupId,
      state: g.state,
      protocolType: g.protocolType ?? "",
      protocolName:
        g.state === "Stable" || g.state === "CompletingRebalance" ? (g.protocolName ?? "") : "",
      members: [...g.members.values()].map((m) => ({
        memberId: m.memberId,
        groupInstanceId: m.groupInstanceId,
        clientId: m.clientId,
        clientHost: m.clientHost,
        metadata: m.protocols.find((p) => p.name === g.protocolName)?.metadata ?? EMPTY,
        assignment: m.assignment,
      })),
    };
  }

  listGroups(): Array<{ groupId: string; protocolType: string }> {
    const ids = new Set([...this.groups.keys(), ...this.offsets.groups()]);
    return [...ids].map((groupId) => ({
      groupId,
      protocolType: this.groups.get(groupId)?.protocolType ?? "consumer",
    }));
  }

  /**
   * A deleted topic's committed offsets go (as in Kafka), and the groups that may be consuming
   * it rebalance: their members then start the topic created again under that name from their
   * reset policy, not from a position in the deleted one.
   */
  async deleteTopic(topic: string): Promise<void> {
    for (const group of this.offsets.groups()) {
      for (const c of this.offsets.list(group)) {
        if (c.topic !== topic) continue;
        const fields = { group, topic, partition: c.partition, from: c.offset, to: -1 };
        this.log.warn("consumer group offset reset", { ...fields, why: "topic deleted" });
      }
    }
    for (const g of this.groups.values()) {
      if (g.members.size === 0 || !g.mayConsume(topic)) continue;
      g.fencedTopics.add(topic);
      this.log.info("topic deleted: group rebalances", { group: g.groupId, topic });
      this.prepareRebalance(g, 0);
    }
    await this.offsets.deleteTopic(topic);
  }

  close(): void {
    clearInterval(this.sweeper);
    for (const g of this.groups.values()) {
      if (g.rebalanceTimer) clearTimeout(g.rebalanceTimer);
      for (const m of g.members.values()) {
        m.joinWaiter?.(failedJoin(ErrorCode.COORDINATOR_NOT_AVAILABLE, m.memberId));
        m.syncWaiter?.({ errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, assignment: EMPTY });
        m.joinWaiter = m.syncWaiter = null;
      }
    }
    this.offsets.close();
  }

  /** Members silent for longer than their session timeout are removed (not while joining). */
  expireSessions(): void {
    const now = this.now();
    for (const g of this.groups.values()) {
      for (const m of [...g.members.values()]) {
        if (!m.joinWaiter && now - m.lastSeen > m.sessionTimeoutMs)
          this.removeMember(g, m, "session expired");
      }
    }
  }

  private group(groupId: string): Group {
    let g = this.groups.get(groupId);
    if (!g) this.groups.set(groupId, (g = new Group(groupId)));
    return g;
  }

  private removeMember(group: Group, m: Member, why: string): void {
    group.members.delete(m.memberId);
    m.joinWaiter?.(failedJoin(ErrorCode.UNKNOWN_MEMBER_ID, m.memberId));
    m.syncWaiter?.({ errorCode: ErrorCode.UNKNOWN_MEMBER_ID, assignment: EMPTY });
    this.log.info("member removed", { group: group.groupId, member: m.memberId, why });
    if (group.leaderId === m.memberId) group.leaderId = null;
    if (group.members.size === 0) {
      if (group.rebalanceTimer) clearTimeout(group.rebalanceTimer);
      group.rebalanceTimer = null;
      group.state = "Empty";
      group.protocolName = null;
      group.generationId++;
      return;
    }
    this.prepareRebalance(group, 0);
    this.maybeCompleteJoin(group);
  }

  /** Enter PreparingRebalance: members learn of it from heartbeats (27) and rejoin. */
  private prepareRebalance(group: Group, initialDelayMs: number): void {
    if (group.state === "PreparingRebalance") return;
    for (const m of group.members.values()) {
      m.syncWaiter?.({ errorCode: ErrorCode.REBALANCE_IN_PROGRESS, assignment: EMPTY });
      m.syncWaiter = null;
    }
    group.state = "PreparingRebalance";
    group.notBefore = this.now() + initialDelayMs;
    if (initialDelayMs > 0) setTimeout(() => this.maybeCompleteJoin(group), initialDelayMs).unref();
    const timeout = Math.max(group.maxRebalanceTimeout(), initialDelayMs);
    group.rebalanceTimer = setTimeout(() => this.onRebalanceTimeout(group), timeout);
    group.rebalanceTimer.unref();
  }

  private onRebalanceTimeout(group: Group): void {
    group.rebalanceTimer = null;
    if (group.state !== "PreparingRebalance") return;
    for (const m of [...group.members.values()]) {
      if (!m.joinWaiter) {
        group.members.delete(m.memberId);
        this.log.info("member removed", {
          group: group.groupId,
          member: m.memberId,
          why: "did not rejoin",
        });
      }
    }
    if (group.members.size === 0) {
      group.state = "Empty";
      return;
    }
    this.completeJoin(group);
  }

  private maybeCompleteJoin(group: Group): void {
    if (
      group.state === "PreparingRebalance" &&
      this.now() >= group.notBefore &&
      group.allJoined()
    ) {
      this.completeJoin(group);
    }
  }

  private completeJoin(group: Group): void {
    if (group.rebalanceTimer) clearTimeout(group.rebalanceTimer);
    group.rebalanceTimer = null;
    if (!group.leaderId || !group.members.has(group.leaderId))
      group.leaderId = group.members.keys().next().value!;
    const protocol = group.commonProtocol();
    group.generationId++;
    group.protocolName = protocol;
    group.state = "CompletingRebalance";
    group.fencedTopics.clear();
    const everyone = [...group.members.values()].map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      metadata: m.protocols.find((p) => p.name === protocol)?.metadata ?? EMPTY,
    }));
    for (const m of group.members.values()) {
      const waiter = m.joinWaiter;
      m.joinWaiter = null;
      m.lastSeen = this.now();
      waiter?.(
        protocol === null
          ? failedJoin(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, m.memberId)
          : {
              errorCode: 0,
              generationId: group.generationId,
              protocolName: protocol,
              leader: group.leaderId,
              memberId: m.memberId,
              members: m.memberId === group.leaderId ? everyone : [],
            },
      );
    }
    this.log.info("group rebalanced", {
      group: group.groupId,
      generation: group.generationId,
      members: group.members.size,
      protocol,
    });
  }
}
