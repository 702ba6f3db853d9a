export * from "./options.ts";
export * from "./define.ts";
export { commonOptions, idlePageOutOption, printConfigOption, resolveOptions } from "./common.ts";
export { parseArgs, type ParsedArgs } from "./parse-args.ts";
export {
  resolveConfig,
  formatConfig,
  formatHelp,
  loadConfigFile,
  type ResolvedConfig,
  type Env,
} from "./load.ts";
