export { defaultTimeouts, listenTcp, type TcpServer, type TcpServerOptions } from "./server.ts";
export {
  Connection,
  CloseConnection,
  type ConnectionLimits,
  type ConnectionTimeouts,
  type FrameHandler,
  type Response,
} from "./connection.ts";
export { FrameBudget } from "./frame-budget.ts";
export { Framer, FrameTooLargeError } from "./framer.ts";
