/**
 * Operations of the server itself (health, metrics, sign-in, the live video) and of this
 * reference, documented here because their routes are not declared in a module of their own
 * with a schema (app.tsx, login.ts, video-feed.ts).
 */
import { z } from "zod";
import { problem } from "../api/rows.ts";
import type { Operation } from "./operation.ts";

export const serverOperations: Operation[] = [
  {
    method: "get",
    path: "/healthz",
    tag: "server",
    summary: "Whether every part is up",
    responses: {
      200: {
        description: "all parts up",
        schema: z.looseObject({
          status: z.string().describe("ok, or what is wrong"),
          version: z.string(),
        }),
      },
      503: {
        description: "a part is down: the body says which",
        schema: z.looseObject({ status: z.string() }),
      },
    },
    examples: [{ path: "/healthz", status: 200 }],
  },
  {
    method: "get",
    path: "/metrics",
    tag: "server",
    summary: "Prometheus metrics (text exposition format 0.0.4)",
    responses: { 200: { description: "the metrics", contentType: "text/plain" } },
    examples: [{ path: "/metrics", status: 200 }],
  },
  {
    method: "post",
    path: "/login",
    tag: "server",
    summary: "Sign in with an HTTP token (a session cookie; only needed on an exposed server)",
    body: {
      schema: z.object({ token: z.string().describe("an `http` token from `iot token create`") }),
      formOnly: true,
    },
    responses: {
      303: { description: "signed in: the session cookie is set, on to the dashboard" },
      401: {
        description: "not a valid token",
        schema: problem,
        example: { message: "invalid token" },
      },
    },
    examples: [{ title: "a wrong token", path: "/login", form: { token: "nope" }, status: 401 }],
  },
  {
    method: "post",
    path: "/logout",
    tag: "server",
    summary: "End the session",
    responses: { 303: { description: "signed out, on to the dashboard" } },
    examples: [{ path: "/logout", status: 303 }],
  },
  {
    method: "get",
    path: "/video_feed",
    tag: "collector",
    summary:
      "Live MJPEG video (the RTSP seed's page): frames as they come, until the client leaves",
    query: z.object({
      device: z
        .string()
        .optional()
        .describe("the video source: a device id, or rtsp-stream (the seed's topic, the default)"),
    }),
    responses: {
      200: {
        description: "an endless stream of JPEG parts, `--frame` between them",
        contentType: "multipart/x-mixed-replace; boundary=frame",
      },
    },
    examples: [{ path: "/video_feed", status: 200 }],
  },
  {
    method: "get",
    path: "/openapi.json",
    tag: "server",
    summary: "This API as an OpenAPI 3.1 document",
    responses: {
      200: { description: "the document", schema: z.looseObject({ openapi: z.literal("3.1.0") }) },
    },
    examples: [{ path: "/openapi.json", status: 200 }],
  },
  {
    method: "get",
    path: "/docs",
    tag: "server",
    summary: "This reference as a page",
    responses: { 200: { description: "the page", contentType: "text/html" } },
    examples: [{ path: "/docs", status: 200 }],
  },
];
