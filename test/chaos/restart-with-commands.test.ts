/**
 * Smoke run of the restart-with-commands fault scenario with its quick sizes: device commands,
 * a third of the devices offline, kill -9 of `iot serve` and a restart on the same data dir;
 * every device ends with its latest command, once, and it is still retained.
 * The full run and the report are `npm run chaos`.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { cleanupAll } from "../../bench/chaos/lib.ts";
import { restartWithCommands } from "../../bench/chaos/restart-with-commands.ts";

afterAll(() => cleanupAll());

describe("chaos: device commands across a kill -9 of iot serve", () => {
  test("every device gets its latest command; it stays retained (quick)", async () => {
    const r = await restartWithCommands.run({ quick: true, log: () => {} });
    expect(r.acknowledged).toBe(r.sent);
    // the notes say which devices missed what
    expect({
      lost: r.lost,
      duplicated: r.duplicated,
      stored: r.stored,
      notes: r.notes,
    }).toMatchObject({
      lost: 0,
      duplicated: 0,
      stored: 24,
    });
    expect(r.pass).toBe(true);
  }, 120_000);
});
