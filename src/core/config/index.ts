export * from "./options.ts";
export { parseArgs, type ParsedArgs } from "./parse-args.ts";
export {
  resolveConfig,
  formatConfig,
  formatHelp,
  loadConfigFile,
  type ResolvedConfig,
  type Env,
} from "./load.ts";
