export type { Example, Method, Operation, ResponseSpec } from "./operation.ts";
export { openApiDocument, jsonSchema, curlLine, openApiPath } from "./document.ts";
export { operations } from "./operations.ts";
export { openApiRoutes } from "./routes.tsx";
