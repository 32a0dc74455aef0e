// The one @observablehq/inputs function the cells use (the package ships no types).
declare module "@observablehq/inputs" {
  export function table(data: readonly object[], options?: {maxWidth?: number; rows?: number; layout?: "auto" | "fixed"; select?: boolean}): HTMLElement;
}
