export { createApp, type App, type AppDeps } from "./app.tsx";
