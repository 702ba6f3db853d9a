export { createApp, type App, type AppDeps } from "./app.tsx";
export {
  loginRoutes,
  requireHttpToken,
  SESSION_COOKIE,
  type HttpAuthOptions,
} from "./routes/login.ts";
export { videoRoutes } from "./routes/video-feed.ts";
