/** @jsxImportSource hono/jsx */

/** Exposed servers need a token for writes; this form trades it for a cookie. */
export function Login() {
  return (
    <form class="card" method="post" action="/login">
      <h2>Sign in</h2>
      <p class="muted">
        This server is reachable from the network, so changes need a token: create one on the server
        with <code>iot token create --kind http --subject &lt;you&gt;</code>.
      </p>
      <label>
        Token <input name="token" type="password" autocomplete="current-password" required />
      </label>
      <button type="submit">Sign in</button>
    </form>
  );
}
