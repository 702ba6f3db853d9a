/**
 * The device page's writes: `POST /devices/:id/rename` `{name}` (a display name; the id stays
 * the wire identity) and `POST /devices/:id/delete` `{data: "keep"|"delete"}` (with "delete",
 * its readings, images rows and image files go too). JSON from scripts, a form from the page:
 * a form gets a 303 back to the page, JSON a JSON answer. Writes are guarded like every other
 * (src/http/protect, and a token or session when the server is exposed).
 */
import { Hono, type Context } from "hono";
import { rmdirSync, unlinkSync } from "node:fs";
import { dirname, resolve, sep } from "node:path";
import { z } from "zod";
import type { EventBus } from "../../events/index.ts";
import type { Logger } from "../../core/log/index.ts";
import type { StoreEngine } from "../../store/engine/index.ts";
import { bodyKind, unsupported } from "../protect/index.ts";
import { parseWith } from "./validate.ts";

export const MAX_NAME_CHARS = 64;

export const renameSchema = z.object({
  name: z
    .string()
    .max(MAX_NAME_CHARS, `at most ${MAX_NAME_CHARS} characters`)
    // a name is shown in pages and the map: no control characters
    .regex(/^[^\p{Cc}]*$/u, "no control characters"),
});
export const deleteSchema = z.object({ data: z.enum(["keep", "delete"]) });

export function deviceRoutes(deps: {
  engine: StoreEngine;
  bus?: EventBus;
  dataDir: string;
  log?: Logger;
}) {
  const { engine } = deps;
  const imagesRoot = resolve(deps.dataDir, "images");
  const app = new Hono();

  app.post("/devices/:id/rename", async (c) => {
    const body = await bodyOf(c, renameSchema);
    if (!body.ok) return body.res;
    const id = c.req.param("id");
    if (!(await engine.transaction((tx) => tx.apiWrites.renameDevice(id, body.data.name))))
      return noDevice(c, id);
    deps.bus?.publish({ type: "device" });
    return done(c, `/devices/${encodeURIComponent(id)}`, {
      id,
      name: body.data.name.trim() || null,
    });
  });

  app.post("/devices/:id/delete", async (c) => {
    const body = await bodyOf(c, deleteSchema);
    if (!body.ok) return body.res;
    const id = c.req.param("id");
    const withData = body.data.data === "delete";
    const { existed, imagePaths } = await engine.transaction((tx) =>
      tx.apiWrites.removeDevice(id, withData),
    );
    if (!existed) return noDevice(c, id);
    const removed = removeFiles(imagePaths, imagesRoot, deps.log);
    deps.bus?.publish({ type: "device" });
    if (withData) deps.bus?.publish({ type: "image" });
    return done(c, "/devices", { id, deleted: true, images: imagePaths.length, files: removed });
  });

  return app;
}

type Parsed<T> = { ok: true; data: T } | { ok: false; res: Response };

/** A JSON or form body checked against `schema`; anything else 415, a bad field 400. */
async function bodyOf<T extends z.ZodType>(c: Context, schema: T): Promise<Parsed<z.infer<T>>> {
  const refused = unsupported(c, ["json", "form"]);
  if (refused) return { ok: false, res: refused };
  let raw: unknown;
  try {
    raw = bodyKind(c) === "form" ? await c.req.parseBody() : await c.req.json();
  } catch {
    return { ok: false, res: c.json({ message: "body: invalid JSON or form" }, 400) };
  }
  return parseWith(schema, raw);
}

const noDevice = (c: Context, id: string) => c.json({ message: `no device ${id}` }, 404);

/** A form goes back to a page (303, so a reload does not post again); JSON gets the result. */
const done = (c: Context, page: string, result: Record<string, unknown>) =>
  bodyKind(c) === "form" ? c.redirect(page, 303) : c.json(result, 200);

/**
 * Removes the deleted rows' image files: only files inside the data dir's images folder, then
 * the device's folder when it is left empty. Answers how many files went.
 */
function removeFiles(paths: string[], root: string, log?: Logger): number {
  let removed = 0;
  const dirs = new Set<string>();
  for (const path of paths) {
    const full = resolve(path);
    if (!full.startsWith(root + sep)) {
      log?.warn("image file outside the images dir left alone", { path });
      continue;
    }
    try {
      unlinkSync(full);
      removed++;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT")
        log?.warn("could not remove an image file", { path, err: e });
    }
    dirs.add(dirname(full));
  }
  for (const dir of dirs) {
    try {
      if (dir !== root) rmdirSync(dir); // only when empty: another device may share the folder
    } catch {
      // not empty, or gone: either is fine
    }
  }
  return removed;
}
