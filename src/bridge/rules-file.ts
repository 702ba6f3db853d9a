/**
 * `--bridge-rules rules.json`: the MQTT → Kafka mapping as data, e.g.
 * `[{"filter": "farm/+/soil", "kafkaTopic": "farm.soil", "key": {"segment": 0}, "json": true}]`.
 * Rules are tried in order; the defaults apply when no file is given.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { ConfigError } from "../core/config/index.ts";
import { topicNameError } from "../kafka/broker/log/topic-name.ts";
import type { MappingRule } from "./mapping.ts";

const wildcards = (filter: string) => filter.split("/").filter((l) => l === "+").length;

const rule = z
  .object({
    filter: z.string().min(1),
    kafkaTopic: z
      .string()
      .refine((t) => topicNameError(t) === null, "not a valid Kafka topic name"),
    key: z.union([
      z.object({ segment: z.number().int().min(0) }),
      z.object({ field: z.string().min(1) }),
      z.null(),
    ]),
    json: z.boolean().optional(),
    headers: z.record(z.string(), z.string()).optional(),
  })
  .refine((r) => !r.key || !("segment" in r.key) || r.key.segment < wildcards(r.filter), {
    message: "key.segment counts the filter's + levels from 0; this filter has fewer",
    path: ["key", "segment"],
  });

export function loadBridgeRules(path: string): MappingRule[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new ConfigError(`--bridge-rules ${path}: ${(e as Error).message}`);
  }
  const parsed = z.array(rule).min(1).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`--bridge-rules ${path}: [${issue.path.join(".")}] ${issue.message}`);
  }
  return parsed.data;
}
