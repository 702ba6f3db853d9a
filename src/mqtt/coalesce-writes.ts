/**
 * aedes writes each packet on its own (mqtt-packet corks a packet's pieces until the next
 * tick): a batch of QoS 1 publishes acknowledged together — the bridge releases a whole Kafka
 * batch at once — makes one send() per PUBACK and one per delivered copy. Corking a socket at
 * its first write of an event-loop turn and uncorking it at the end of that turn (setImmediate)
 * sends all of that turn's packets in one syscall, and adds no wait: nothing else would have
 * run before that turn ended.
 */
import type { Socket } from "node:net";

export function coalesceWrites(socket: Socket): void {
  let corked = false;
  const uncork = () => {
    corked = false;
    socket.uncork();
  };
  const write = socket.write;
  socket.write = function (this: Socket, ...args: Parameters<Socket["write"]>) {
    if (!corked && !socket.destroyed) {
      corked = true;
      socket.cork();
      setImmediate(uncork);
    }
    return write.apply(this, args);
  } as Socket["write"];
}
