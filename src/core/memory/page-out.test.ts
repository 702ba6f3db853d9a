import { describe, expect, test } from "bun:test";
import { pageOutCandidates } from "./page-out.ts";

// the shape of /proc/<pid>/smaps, trimmed to the fields read
const smaps = `00200000-01a39000 r--p 00000000 fe:00 5309565    /usr/local/bin/iot
Rss:                6400 kB
Anonymous:             0 kB
01a40000-0684a000 r-xp 01838000 fe:00 5309565    /usr/local/bin/iot
Rss:               37200 kB
Anonymous:             0 kB
0685f000-06867000 r--p 06656000 fe:00 5309565    /usr/local/bin/iot
Rss:                  32 kB
Anonymous:            32 kB
06867000-08800000 rw-p 0665e000 fe:00 5309565    /usr/local/bin/iot
Rss:                4000 kB
Anonymous:           200 kB
08800000-08900000 rw-p 00000000 00:00 0
Rss:               18000 kB
Anonymous:         18000 kB
7f0000000000-7f0000100000 rw-s 00000000 fe:00 77    /data/iot.db-shm
Rss:                  32 kB
Anonymous:             0 kB
7f0000200000-7f0000300000 r-xp 00026000 fe:00 88    /lib/x86_64-linux-gnu/libc.so.6
Rss:                1100 kB
Anonymous:             0 kB
7f0000400000-7f0000500000 r--p 00000000 fe:00 99    /opt/iot/old-iot (deleted)
Rss:                 100 kB
Anonymous:             0 kB
7f0000600000-7f0000700000 r--p 00000000 fe:00 99    /usr/share/locale/unused
Rss:                   0 kB
Anonymous:             0 kB
7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0    [stack]
Rss:                 100 kB
Anonymous:           100 kB
7ffd00030000-7ffd00032000 r-xp 00000000 00:00 0    [vdso]
Rss:                   8 kB
Anonymous:             0 kB
`;

describe("pageOutCandidates", () => {
  test("clean read-only file mappings only: never writable, anonymous, shared-writable or empty", () => {
    expect(pageOutCandidates(smaps).map((m) => [m.start.toString(16), m.length, m.path])).toEqual([
      ["200000", 0x1a39000 - 0x200000, "/usr/local/bin/iot"],
      ["1a40000", 0x684a000 - 0x1a40000, "/usr/local/bin/iot"],
      ["7f0000200000", 0x100000, "/lib/x86_64-linux-gnu/libc.so.6"],
      // an upgraded binary still runs from its old inode: its pages are as clean as ever
      ["7f0000400000", 0x100000, "/opt/iot/old-iot (deleted)"],
    ]);
  });
});
