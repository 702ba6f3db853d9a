/**
 * Each component reports its own state; `/healthz` is up only when all of them are.
 */
/** degraded: working, but something needs a look (a consumer in a crash loop, far behind) */
export type ComponentState = "starting" | "up" | "degraded" | "down" | "external" | "disabled";

export interface ComponentHealth {
  state: ComponentState;
  detail?: Record<string, unknown>;
}

export class Health {
  private checks = new Map<string, () => ComponentHealth>();

  register(name: string, check: () => ComponentHealth): void {
    this.checks.set(name, check);
  }

  report(): { status: "ok" | "degraded"; components: Record<string, ComponentHealth> } {
    const components: Record<string, ComponentHealth> = {};
    let ok = true;
    for (const [name, check] of this.checks) {
      let h: ComponentHealth;
      try {
        h = check();
      } catch (e) {
        h = { state: "down", detail: { error: (e as Error).message } };
      }
      components[name] = h;
      if (h.state === "down" || h.state === "starting" || h.state === "degraded") ok = false;
    }
    return { status: ok ? "ok" : "degraded", components };
  }
}
