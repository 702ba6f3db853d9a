/**
 * flock(2) through libc: a lock the kernel drops when its holder dies, however it dies
 * (kill -9, power cut of the process, OOM). A PID file alone cannot tell a dead holder from a
 * live one whose PID was reused; a kernel lock can.
 */
import { dlopen, FFIType, read } from "bun:ffi";

const LOCK_SH = 1;
const LOCK_EX = 2;
const LOCK_NB = 4;
const EWOULDBLOCK = 11; // = EAGAIN on Linux
const EINTR = 4;

export type LockMode = "exclusive" | "shared";

type Libc = {
  flock: (fd: number, op: number) => number;
  errno: () => number;
};

let libc: Libc | null | undefined;

/** libc's flock, or null where it cannot be loaded (not Linux/glibc, FFI unavailable). */
function load(): Libc | null {
  if (libc !== undefined) return libc;
  try {
    const { symbols } = dlopen("libc.so.6", {
      flock: { args: [FFIType.i32, FFIType.i32], returns: FFIType.i32 },
      __errno_location: { args: [], returns: FFIType.ptr },
    });
    libc = {
      flock: (fd, op) => symbols.flock(fd, op),
      errno: () => read.i32(symbols.__errno_location()!, 0),
    };
  } catch {
    libc = null;
  }
  return libc;
}

/** Whether kernel locks are available here (else the caller falls back to a PID check). */
export function flockAvailable(): boolean {
  return load() !== null;
}

/**
 * Tries to take the lock without waiting: true when taken, false when another open file
 * holds a conflicting one. Other failures throw.
 */
export function tryFlock(fd: number, mode: LockMode): boolean {
  const c = load();
  if (!c) throw new Error("flock is not available on this system");
  const op = (mode === "exclusive" ? LOCK_EX : LOCK_SH) | LOCK_NB;
  for (;;) {
    if (c.flock(fd, op) === 0) return true;
    const errno = c.errno();
    if (errno === EINTR) continue;
    if (errno === EWOULDBLOCK) return false;
    throw new Error(`flock failed (errno ${errno})`);
  }
}
