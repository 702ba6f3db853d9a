// mqtt-packet's own modules that src/mqtt/hot-packets.ts builds on, untyped
declare module "mqtt-packet/packet.js" {
  export default class Packet {
    cmd: string | null;
    retain: boolean;
    qos: number;
    dup: boolean;
    length: number;
    topic: string | null;
    payload: Buffer | null;
    [field: string]: unknown;
  }
}
declare module "mqtt-packet/constants.js" {
  const constants: {
    propertiesCodes: Record<number, string>;
    propertiesTypes: Record<string, string>;
    MQTT5_PUBACK_PUBREC_CODES: Record<number, string>;
  };
  export default constants;
}
