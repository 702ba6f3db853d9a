/** A device's rename and delete (devices.ts), documented from the schemas it parses with. */
import { z } from "zod";
import * as rows from "../api/rows.ts";
import type { Operation } from "../openapi/operation.ts";
import { deleteSchema, renameSchema } from "./devices.ts";

const params = z.object({ id: z.string().describe("the device id (its wire identity)") });
const noDevice = {
  description: "no such device",
  schema: rows.problem,
  example: { message: "no device pi-404" },
};
const bad = {
  description: "a bad body: the message names the field",
  schema: rows.problem,
  example: { message: "name: at most 64 characters" },
};

export const deviceOperations: Operation[] = [
  {
    method: "post",
    path: "/devices/:id/rename",
    tag: "api",
    summary: "Give a device a display name (its id stays the same on the wire)",
    description: "A form body (the device's page) is answered with 303 back to the page.",
    params,
    body: { schema: renameSchema, form: true },
    responses: {
      200: {
        description: "renamed; an empty name removes it",
        schema: z.strictObject({ id: z.string(), name: z.string().nullable() }),
      },
      400: bad,
      404: noDevice,
    },
    examples: [
      { path: "/devices/pi-1/rename", body: { name: "Kitchen Pi" }, status: 200 },
      { path: "/devices/pi-404/rename", body: { name: "x" }, status: 404 },
    ],
  },
  {
    method: "post",
    path: "/devices/:id/delete",
    tag: "api",
    summary: "Forget a device, keeping or deleting its readings and images",
    description:
      "`data: delete` also removes its readings, its images and their files. A device that " +
      "sends again comes back. A form body is answered with 303 to /devices.",
    params,
    body: { schema: deleteSchema, form: true },
    responses: {
      200: {
        description: "deleted",
        schema: z.strictObject({
          id: z.string(),
          deleted: z.literal(true),
          images: z.number().describe("image rows removed"),
          files: z.number().describe("image files removed"),
        }),
      },
      400: bad,
      404: noDevice,
    },
    examples: [{ path: "/devices/pi-404/delete", body: { data: "keep" }, status: 404 }],
  },
];
