/** @jsxImportSource hono/jsx */
/**
 * /docs: the API reference as one server-rendered page, made from the OpenAPI document (so it
 * never says something the document does not). No script, no CDN: it works on an offline Pi.
 */
import type { Child } from "hono/jsx";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Field {
  name: string;
  type: string;
  required: boolean;
  description?: string;
}

/** A JSON schema's type, briefly: `string`, `integer | null`, `in | out`, `array of object`. */
export function typeOf(s: Json | undefined): string {
  if (!s) return "any";
  if (s.enum) return s.enum.map((v: unknown) => JSON.stringify(v)).join(" | ");
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.anyOf || s.oneOf) return [...new Set((s.anyOf ?? s.oneOf).map(typeOf))].join(" | ");
  if (s.type === "array") return `array of ${typeOf(s.items)}`;
  if (Array.isArray(s.type)) return s.type.join(" | ");
  return s.type ?? "any";
}

/** The fields of an object schema, nested ones as `a.b`, array items as `a[].b`. */
export function fieldsOf(s: Json | undefined, prefix = ""): Field[] {
  if (!s) return [];
  if (s.anyOf || s.oneOf) {
    const objects = (s.anyOf ?? s.oneOf).filter((x: Json) => x.properties);
    if (objects.length === 1) return fieldsOf(objects[0], prefix);
    // several shapes: each under a line that says which
    return objects.flatMap((o: Json, i: number) => [
      {
        name: `${prefix || "(body)"}, one of:`,
        type: o.title ?? `shape ${i + 1}`,
        required: true,
        description: o.description,
      },
      ...fieldsOf(o, prefix),
    ]);
  }
  if (s.type === "array") return fieldsOf(s.items, `${prefix}[]`);
  const out: Field[] = [];
  for (const [name, prop] of Object.entries<Json>(s.properties ?? {})) {
    const path = prefix ? `${prefix}.${name}` : name;
    out.push({
      name: path,
      type: typeOf(prop),
      required: (s.required ?? []).includes(name),
      description: prop.description,
    });
    out.push(...fieldsOf(prop, path));
  }
  return out;
}

const Fields = ({ fields }: { fields: Field[] }) =>
  fields.length === 0 ? null : (
    <table class="fields">
      <thead>
        <tr>
          <th>field</th>
          <th>type</th>
          <th>description</th>
        </tr>
      </thead>
      <tbody>
        {fields.map((f) => (
          <tr>
            <td>
              <code>{f.name}</code>
              {f.required ? "" : " (optional)"}
            </td>
            <td>
              <code>{f.type}</code>
            </td>
            <td>
              <Prose text={f.description} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );

/** Prose with `code` spans, as the descriptions write them. */
const Prose = ({ text }: { text?: string }) =>
  text ? (
    <>{text.split(/`([^`]+)`/).map((part, i) => (i % 2 ? <code>{part}</code> : part))}</>
  ) : null;

const pretty = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v, null, 2));

function OperationSection({ path, method, op }: { path: string; method: string; op: Json }) {
  const params: Json[] = op.parameters ?? [];
  const body: Json | undefined = op.requestBody?.content;
  return (
    <section class="operation" id={op.operationId}>
      <h3>
        <span class={`method ${method}`}>{method.toUpperCase()}</span> <code>{path}</code>
      </h3>
      <p class="summary">
        <Prose text={op.summary} />
      </p>
      {op.description && (
        <p>
          <Prose text={op.description} />
        </p>
      )}
      {params.length > 0 && (
        <>
          <h4>Parameters</h4>
          <table class="fields">
            <thead>
              <tr>
                <th>name</th>
                <th>in</th>
                <th>type</th>
                <th>description</th>
              </tr>
            </thead>
            <tbody>
              {params.map((p) => (
                <tr>
                  <td>
                    <code>{p.name}</code>
                    {p.required ? "" : " (optional)"}
                  </td>
                  <td>{p.in}</td>
                  <td>
                    <code>{typeOf(p.schema)}</code>
                  </td>
                  <td>
                    <Prose text={p.description} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {body &&
        Object.entries<Json>(body).map(([type, media]) => (
          <>
            <h4>
              Body <code>{type}</code>
            </h4>
            <Fields fields={fieldsOf(media.schema)} />
            {media.example !== undefined && <pre>{pretty(media.example)}</pre>}
          </>
        ))}
      {(op["x-codeSamples"] ?? []).length > 0 && (
        <>
          <h4>Example</h4>
          <pre class="curl">{op["x-codeSamples"].map((s: Json) => s.source).join("\n")}</pre>
        </>
      )}
      <h4>Responses</h4>
      <dl class="responses">
        {Object.entries<Json>(op.responses).map(([status, r]) => (
          <>
            <dt>
              <code>{status}</code> <Prose text={r.description} />
              {r.content && <span class="types"> — {Object.keys(r.content).join(", ")}</span>}
            </dt>
            <dd>
              {r.headers && (
                <ul>
                  {Object.entries<Json>(r.headers).map(([h, d]) => (
                    <li>
                      <code>{h}</code>: <Prose text={d.description} />
                    </li>
                  ))}
                </ul>
              )}
              <Fields fields={fieldsOf(r.content?.["application/json"]?.schema)} />
              {r.content?.["application/json"]?.example !== undefined && (
                <pre>{pretty(r.content["application/json"].example)}</pre>
              )}
            </dd>
          </>
        ))}
      </dl>
    </section>
  );
}

/** The whole page, from the document. */
export function DocsPage({ doc }: { doc: Json }): Child {
  const byTag = new Map<string, Array<{ path: string; method: string; op: Json }>>();
  for (const [path, item] of Object.entries<Json>(doc.paths))
    for (const [method, op] of Object.entries<Json>(item)) {
      const tag = op.tags?.[0] ?? "other";
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag)!.push({ path, method, op });
    }
  const order = (doc.tags ?? []).map((t: Json) => t.name as string);
  const tags = [...byTag.keys()].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>iot API reference</title>
        <link rel="stylesheet" href="/static/app.css" />
      </head>
      <body class="docs">
        <header>
          <h1>iot API reference</h1>
          <p>
            Version {doc.info.version}. <Prose text={doc.info.description} /> The machine-readable
            document is <a href="/openapi.json">/openapi.json</a> (OpenAPI {doc.openapi}).
          </p>
        </header>
        <nav aria-label="Endpoints">
          {tags.map((tag) => (
            <div>
              <h2>
                <a href={`#tag-${tag}`}>{tag}</a>
              </h2>
              <ul>
                {byTag.get(tag)!.map(({ path, method, op }) => (
                  <li>
                    <a href={`#${op.operationId}`}>
                      {method.toUpperCase()} {path}
                    </a>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </nav>
        <main>
          {tags.map((tag) => (
            <section class="tag" id={`tag-${tag}`}>
              <h2>{tag}</h2>
              {byTag.get(tag)!.map((o) => (
                <OperationSection {...o} />
              ))}
            </section>
          ))}
        </main>
      </body>
    </html>
  );
}
