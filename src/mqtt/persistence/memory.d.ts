// aedes-persistence's in-memory implementation (the async interface aedes 2 calls), untyped
declare module "aedes-persistence/asyncPersistence.js" {
  import type { Readable } from "node:stream";
  type Sub = { topic: string; qos: number; [k: string]: unknown };
  type Client = { id: string };
  export default class MemoryPersistence {
    setup(broker: unknown): Promise<void>;
    addSubscriptions(client: Client, subs: Sub[]): Promise<void>;
    removeSubscriptions(client: Client, topics: string[]): Promise<void>;
    subscriptionsByClient(client: Client): Promise<Sub[]>;
    countOffline(): Promise<{ subsCount: number; clientsCount: number }>;
    subscriptionsByTopic(topic: string): Promise<Array<{ clientId: string; topic: string }>>;
    cleanSubscriptions(client: Client): Promise<void>;
    incomingStorePacket(client: Client, packet: unknown): Promise<void>;
    incomingGetPacket(client: Client, packet: unknown): Promise<unknown>;
    incomingDelPacket(client: Client, packet: unknown): Promise<void>;
    putWill(client: Client, packet: unknown): Promise<void>;
    getWill(client: Client): Promise<unknown>;
    delWill(client: Client): Promise<unknown>;
    streamWill(brokers?: unknown): Readable;
    getClientList(topic: string): Readable;
    destroy(): Promise<void>;
  }
}
