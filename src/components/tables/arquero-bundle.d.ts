// arquero's browser build has no types of its own: it is the same API as the package's entry.
declare module "arquero/dist/arquero.min.js" {
  const aq: typeof import("arquero");
  export default aq;
}
