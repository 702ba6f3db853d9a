/**
 * One owner of the database: only src/store/ holds SQL (drizzle query building, raw SQL, the
 * SQLite driver, the table definitions). Everyone else calls the store's functions, so the
 * store's surface is all a second SQL dialect would have to implement.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { importEdges, sourceFiles } from "./imports.ts";
import { sourceRoots } from "./rules.ts";

const root = join(import.meta.dir, "../..");
const files = sourceFiles(root, sourceRoots);
const SQL_PACKAGE =
  /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)["'](drizzle-orm(?:\/[^"']*)?|bun:sqlite)["']/gm;

/** `file:line → what` for each import of SQL outside src/store/. */
function sqlOutsideStore(): string[] {
  const out: string[] = [];
  for (const file of files) {
    if (file.startsWith("src/store/")) continue;
    const text = readFileSync(join(root, file), "utf8");
    for (const m of text.matchAll(SQL_PACKAGE))
      out.push(`${file}:${text.slice(0, m.index).split("\n").length} → ${m[1]}`);
  }
  for (const e of importEdges(root, files))
    if (e.to === "src/store/schema.ts" && !e.from.startsWith("src/store/"))
      out.push(`${e.from}:${e.line} → ${e.to}`);
  return out;
}

describe("the store", () => {
  test("only src/store/ imports drizzle, bun:sqlite or the schema", () => {
    expect(sqlOutsideStore()).toEqual([]);
  });

  test("the check sees the store's own imports (it can fail)", () => {
    const store = readFileSync(join(root, "src/store/queries.ts"), "utf8");
    expect([...store.matchAll(SQL_PACKAGE)].map((m) => m[1])).toContain("drizzle-orm");
  });
});
