declare module "*.min.js" {
  const text: string;
  export default text;
}
declare module "*.css" {
  const text: string;
  export default text;
}
declare module "*/scripts/devices.js" {
  const text: string;
  export default text;
}
