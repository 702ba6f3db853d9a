/**
 * One documented HTTP operation. A route module declares its operations next to its handlers,
 * with the same zod schemas the handlers validate with; src/http/openapi/operations.ts collects
 * them and /openapi.json and /docs are built from that list. A route in the app that no
 * operation documents fails test/api/openapi-coverage.test.ts.
 */
import type { z } from "zod";

export type Method = "get" | "post" | "put" | "patch" | "delete";

/** A request a reader can copy; the tests send each one to a real `iot serve` in list order. */
export interface Example {
  /** the path with its parameters filled in and its query string: `/api/readings?limit=2` */
  path: string;
  /** a JSON body */
  body?: unknown;
  /** a form body (application/x-www-form-urlencoded) */
  form?: Record<string, string>;
  /** the status it answers on a server the example's data was sent to */
  status: number;
  /** what it shows, when the operation has several */
  title?: string;
}

export interface ResponseSpec {
  description: string;
  /** a JSON answer's schema (what the tests check real answers against) */
  schema?: z.ZodType;
  /** an example answer */
  example?: unknown;
  /** other content types the same answer comes in (`text/csv`, `image/jpeg`, …) */
  otherTypes?: string[];
  /** the only content type, when the answer is not JSON */
  contentType?: string;
  /** response headers: name → what it says */
  headers?: Record<string, string>;
}

export interface Operation {
  method: Method;
  /** hono's syntax: `/api/alerts/:id/ack` */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** path parameters (strings in, as hono gives them) */
  params?: z.ZodObject;
  /** query parameters */
  query?: z.ZodObject;
  body?: {
    schema: z.ZodType;
    /** an example body (the first example's body if not given) */
    example?: unknown;
    /** also accepted as a form */
    form?: boolean;
    /** the form is the only body: no JSON */
    formOnly?: boolean;
  };
  responses: Record<number, ResponseSpec>;
  examples: Example[];
}
