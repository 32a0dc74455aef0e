// htl 0.3.x ships no types (1.0 does, but Framework cannot resolve its exports map).
declare module "htl" {
  export function html(strings: TemplateStringsArray, ...values: unknown[]): HTMLElement | Text | DocumentFragment;
  export function svg(strings: TemplateStringsArray, ...values: unknown[]): SVGElement | DocumentFragment;
}
