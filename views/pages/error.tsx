/** @jsxImportSource hono/jsx */

export interface ErrorPageProps {
  status: number;
  title: string;
  /** what went wrong, in the visitor's terms */
  message: string;
}

/** An error inside the layout (an unknown page, an unknown room): where to go from here. */
export function ErrorPage({ status, title, message }: ErrorPageProps) {
  return (
    <section class="error-page card" data-testid="error-page">
      <p class="error-code" aria-hidden="true">
        {status}
      </p>
      <h1>{title}</h1>
      <p class="muted">{message}</p>
      <p class="row">
        <a class="btn btn-primary" href="/">
          Go to the overview
        </a>
        <a class="btn" href="/alerts?state=open">
          Open alerts
        </a>
      </p>
    </section>
  );
}
