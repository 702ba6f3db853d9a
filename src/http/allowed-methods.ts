/**
 * Which methods an app answers on a path, from its registered routes: a request with another
 * method on an existing API path gets 405 and an `Allow` header, not a 404 that suggests the
 * path is wrong. Middleware (method ALL) says nothing about what a path offers.
 */
export interface RouteInfo {
  method: string;
  path: string;
}

/** A hono route path as a RegExp: `:name` and `:name{re}` one segment, `*` anything. */
export function routePattern(path: string): RegExp {
  let re = "";
  for (const segment of segments(path)) {
    re += "/";
    if (segment === "*") re += ".*";
    else if (segment.startsWith(":")) {
      const custom = /\{(.+)\}$/.exec(segment);
      const optional = segment.endsWith("?");
      re = optional ? re.slice(0, -1) + `(?:/${custom ? custom[1] : "[^/]+"})?` : re;
      if (!optional) re += custom ? `(?:${custom[1]})` : "[^/]+";
    } else re += segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re || "/"}/?$`);
}

/** A path's segments, keeping a parameter's `{regex}` whole even when it holds a slash. */
function segments(path: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of path.replace(/^\//, "")) {
    if (ch === "{") depth++;
    if (ch === "}") depth--;
    if (ch === "/" && depth === 0) {
      out.push(current);
      current = "";
    } else current += ch;
  }
  out.push(current);
  return out;
}

/** The methods (sorted, HEAD with GET) that routes offer on this path; empty: no such path. */
export function allowedMethods(routes: readonly RouteInfo[], path: string): string[] {
  const methods = new Set<string>();
  for (const r of routes) {
    if (r.method === "ALL") continue;
    if (routePattern(r.path).test(path)) methods.add(r.method);
  }
  if (methods.has("GET")) methods.add("HEAD");
  return [...methods].sort();
}
