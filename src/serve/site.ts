import type { Health } from "../health/index.ts";
import type { SiteInfo } from "../http/dashboard/view.ts";

/** The listeners as health reports them, for the pages' hints ("publish to mqtt://…:1884"). */
export function siteInfo(health: Health, httpUrl: string | undefined): SiteInfo {
  const { components } = health.report();
  const mqtt = components.mqtt?.detail as { port?: number; url?: string } | undefined;
  const kafka = components.kafka?.detail as { address?: string; brokers?: string[] } | undefined;
  const host = httpUrl ? new URL(httpUrl).hostname : "127.0.0.1";
  return {
    httpUrl,
    mqttUrl: mqtt?.url ?? (mqtt?.port ? `mqtt://${host}:${mqtt.port}` : undefined),
    kafkaBrokers: kafka?.address ?? kafka?.brokers?.join(","),
  };
}
