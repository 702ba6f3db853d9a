import { apiVersions } from "../../protocol/api-versions/index.ts";
import { ErrorCode } from "../../protocol/errors.ts";
import { defineHandler } from "../context.ts";

export type ApiRange = { apiKey: number; minVersion: number; maxVersion: number };

/** Answers with the ranges of the registered handlers (computed once by the registry). */
export const apiVersionsHandler = (ranges: () => ApiRange[]) =>
  defineHandler({
    api: apiVersions,
    handle: () => ({
      errorCode: ErrorCode.NONE,
      apiKeys: ranges().map((r) => ({ ...r, tags: {} })),
      throttleTimeMs: 0,
      tags: {},
    }),
  });
