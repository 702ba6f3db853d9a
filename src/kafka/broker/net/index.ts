export { listenTcp, type TcpServer, type TcpServerOptions } from "./server.ts";
export { Connection, CloseConnection, type FrameHandler, type Response } from "./connection.ts";
export { Framer, FrameTooLargeError } from "./framer.ts";
