export { startServe, type Running } from "./start.ts";
export {
  serveOptions,
  toServeOptions,
  dataDirOption,
  type ServeOptions,
  type Role,
} from "./options.ts";
