/** kafkajs's request queue, an internal module without typings (see idle-loop-fix.ts) */
declare module "kafkajs/src/network/requestQueue/index.js" {
  const RequestQueue: new (...args: never[]) => object;
  export default RequestQueue;
}
