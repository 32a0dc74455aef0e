// Types of the bundle that scripts/vendor.ts builds from ../plot.ts.
export * from "../plot.js";
