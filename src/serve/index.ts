export { startServe, type Running } from "./start.ts";
export { serveOptions, dataDirOption, type ServeOptions, type Role } from "./options.ts";
