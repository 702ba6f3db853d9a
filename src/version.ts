import pkg from "../package.json";

// Stamped by scripts/build.ts with `--define`; running from source falls back to package.json.
declare const IOT_VERSION: string;
declare const IOT_COMMIT: string;

export const version: string = typeof IOT_VERSION === "string" ? IOT_VERSION : `${pkg.version}-dev`;
export const commit: string = typeof IOT_COMMIT === "string" ? IOT_COMMIT : "unknown";
