declare module "*.min.js" {
  const text: string;
  export default text;
}
declare module "*.css" {
  const text: string;
  export default text;
}
// our own small scripts (views/scripts/), embedded as text
declare module "*/views/scripts/theme.js" {
  const text: string;
  export default text;
}
declare module "*/scripts/charts.js" {
  const text: string;
  export default text;
}
declare module "*/scripts/live.js" {
  const text: string;
  export default text;
}
declare module "*/scripts/devices.js" {
  const text: string;
  export default text;
}
declare module "*.svg" {
  const text: string;
  export default text;
}
