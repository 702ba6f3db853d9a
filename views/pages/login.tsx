/** @jsxImportSource hono/jsx */

/** Exposed servers need a token for writes; this form trades it for a cookie. */
export function Login() {
  return (
    <form class="card login" method="post" action="/login">
      <h1>Sign in</h1>
      <p class="muted">
        This server is reachable from the network, so changes need a token. Create one on the server
        with <code>iot token create --kind http --subject &lt;you&gt;</code>.
      </p>
      <label class="field">
        <span>Token</span>
        <input name="token" type="password" autocomplete="current-password" required />
      </label>
      <button type="submit" class="btn-primary">
        Sign in
      </button>
    </form>
  );
}
