/** @jsxImportSource hono/jsx */
/**
 * `/settings/notifications`: the channels and routes in force (secrets masked), a test button per
 * channel, and the settings as JSON to edit (a masked secret left as it is keeps its value).
 */
export interface ChannelRow {
  name: string;
  type: string;
  /** where it goes, secrets masked */
  target: string;
}

export interface NotifySettingsProps {
  source: "config file" | "dashboard";
  channels: ChannelRow[];
  routes: Array<{ channels: string[]; filter: string; cleared: boolean; quiet?: string }>;
  /** the settings as JSON, secrets masked */
  json: string;
  /** after a save or a test: what happened */
  notice?: { ok: boolean; text: string };
}

export function TestResult({ ok, text }: { ok: boolean; text: string }) {
  return (
    <p class={ok ? "notify-ok" : "notify-error"} role="status">
      {text}
    </p>
  );
}

export function NotifySettingsPage(p: NotifySettingsProps) {
  return (
    <div class="notify-settings">
      <h2>Notifications</h2>
      <p class="muted">
        Settings from the {p.source}
        {p.source === "dashboard" ? " (they replace the config file's [notify] table)" : ""}.
      </p>
      {p.notice && <TestResult {...p.notice} />}
      <section class="card">
        <h3>Channels</h3>
        {p.channels.length === 0 ? (
          <p class="muted">No channels yet: add them below, or in the config file's [notify].</p>
        ) : (
          <table class="table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Type</th>
                <th>Goes to</th>
                <th>Test</th>
              </tr>
            </thead>
            <tbody>
              {p.channels.map((c) => (
                <tr>
                  <td>{c.name}</td>
                  <td>{c.type}</td>
                  <td>
                    <code>{c.target}</code>
                  </td>
                  <td>
                    <form
                      method="post"
                      action="/settings/notifications/test"
                      class="form"
                      hx-post="/settings/notifications/test"
                      hx-target={`#test-${c.name}`}
                      hx-swap="innerHTML"
                    >
                      <input type="hidden" name="channel" value={c.name} />
                      <button type="submit" class="button">
                        Send a test
                      </button>
                      <span id={`test-${c.name}`} aria-live="polite"></span>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section class="card">
        <h3>Routes</h3>
        {p.routes.length === 0 ? (
          <p class="muted">No routes: no alert is sent anywhere.</p>
        ) : (
          <table class="table">
            <thead>
              <tr>
                <th>Alerts</th>
                <th>To</th>
                <th>Cleared too</th>
                <th>Quiet hours</th>
              </tr>
            </thead>
            <tbody>
              {p.routes.map((r) => (
                <tr>
                  <td>{r.filter}</td>
                  <td>{r.channels.join(", ")}</td>
                  <td>{r.cleared ? "yes" : "no"}</td>
                  <td>{r.quiet ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <form class="card form" method="post" action="/settings/notifications">
        <h3>Edit</h3>
        <p class="muted">
          The settings as JSON, with the keys of the config file's [notify] table (README
          "Notifications"). Secrets show as ********; leave them so to keep them.
        </p>
        <label for="notify-json">Settings</label>
        <textarea id="notify-json" name="config" rows={18} spellcheck={false} class="notify-json">
          {p.json}
        </textarea>
        <button type="submit" class="button">
          Save
        </button>
      </form>
    </div>
  );
}
