/** The OpenAPI 3.1 document, built from the operations' zod schemas (JSON Schema 2020-12). */
import { z } from "zod";
import type { Example, Operation } from "./operation.ts";

type Json = Record<string, unknown>;

/** A zod schema as OpenAPI 3.1's JSON Schema: what a client sends (`input`) or gets (`output`). */
export function jsonSchema(schema: z.ZodType, io: "input" | "output"): Json {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Json;
  return rest;
}

/** `/api/alerts/:id/ack` → `/api/alerts/{id}/ack` */
export const openApiPath = (path: string) => path.replace(/:([A-Za-z_]\w*)/g, "{$1}");

/** A curl line for an example, against `base`. */
export function curlLine(op: Operation, ex: Example, base: string): string {
  const parts = ["curl", "-sS"];
  if (op.method !== "get") parts.push("-X", op.method.toUpperCase());
  parts.push(shellQuote(base + ex.path));
  if (ex.body !== undefined)
    parts.push("-H", "'content-type: application/json'", "-d", shellQuote(JSON.stringify(ex.body)));
  if (ex.form)
    for (const [k, v] of Object.entries(ex.form))
      parts.push("--data-urlencode", shellQuote(`${k}=${v}`));
  return parts.join(" ");
}
// `?`, `&` and the like would be globbed or split by a shell: quoted
const shellQuote = (s: string) => (/^[\w/:.=%,@-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

function parameters(op: Operation): Json[] {
  const out: Json[] = [];
  for (const [where, schema] of [
    ["path", op.params],
    ["query", op.query],
  ] as const) {
    if (!schema) continue;
    const js = jsonSchema(schema, "input") as {
      properties?: Record<string, Json>;
      required?: string[];
    };
    for (const [name, prop] of Object.entries(js.properties ?? {})) {
      const { description, ...rest } = prop;
      out.push({
        name,
        in: where,
        required: where === "path" || (js.required ?? []).includes(name),
        ...(description ? { description } : {}),
        schema: rest,
      });
    }
  }
  return out;
}

function requestBody(op: Operation): Json | undefined {
  if (!op.body) return undefined;
  const schema = jsonSchema(op.body.schema, "input");
  const example = op.body.example ?? op.examples.find((e) => e.body !== undefined)?.body;
  const content: Json = {};
  if (!op.body.formOnly)
    content["application/json"] = { schema, ...(example !== undefined ? { example } : {}) };
  if (op.body.form || op.body.formOnly) {
    const form = op.examples.find((e) => e.form)?.form;
    content["application/x-www-form-urlencoded"] = {
      schema: op.body.formOnly
        ? schema
        : { type: "object", additionalProperties: { type: "string" } },
      ...(form ? { example: form } : {}),
    };
  }
  return { required: true, content };
}

function responses(op: Operation): Json {
  const out: Json = {};
  for (const [status, r] of Object.entries(op.responses)) {
    const content: Json = {};
    if (r.schema)
      content["application/json"] = {
        schema: jsonSchema(r.schema, "output"),
        ...(r.example !== undefined ? { example: r.example } : {}),
      };
    for (const type of [...(r.otherTypes ?? []), ...(r.contentType ? [r.contentType] : [])])
      content[type] = {
        schema: type.startsWith("text/")
          ? { type: "string" }
          : { type: "string", contentMediaType: type },
      };
    out[status] = {
      description: r.description,
      ...(r.headers
        ? {
            headers: Object.fromEntries(
              Object.entries(r.headers).map(([h, d]) => [
                h,
                { description: d, schema: { type: "string" } },
              ]),
            ),
          }
        : {}),
      ...(Object.keys(content).length ? { content } : {}),
    };
  }
  return out;
}

export const operationId = (op: Operation) =>
  `${op.method}${op.path
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join("")}`;

export function openApiDocument(ops: Operation[], info: { version: string; base?: string }): Json {
  const paths: Record<string, Json> = {};
  const tags: string[] = [];
  for (const op of ops) {
    if (!tags.includes(op.tag)) tags.push(op.tag);
    const body = requestBody(op);
    const params = parameters(op);
    (paths[openApiPath(op.path)] ??= {})[op.method] = {
      tags: [op.tag],
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      operationId: operationId(op),
      ...(params.length ? { parameters: params } : {}),
      ...(body ? { requestBody: body } : {}),
      responses: responses(op),
      "x-codeSamples": op.examples.map((ex) => ({
        lang: "Shell",
        label: ex.title ?? "curl",
        source: curlLine(op, ex, info.base ?? "http://127.0.0.1:5000"),
      })),
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "iot",
      version: info.version,
      description:
        "The seeds' collector endpoints (kept byte for byte), the JSON API and the server's own endpoints. " +
        'JSON API conventions: snake_case names; a time `x` is ISO 8601 with the server\'s UTC offset and `x_ms` the same instant in epoch ms; numbers are numbers; errors are `{"message": "<parameter or field>: <what is wrong>"}`.',
    },
    servers: [{ url: "/" }],
    tags: tags.map((name) => ({ name })),
    paths,
  };
}
