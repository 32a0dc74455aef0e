// The DOM pieces every page and lab draws with: an element builder that sets text as text (never
// parsed as HTML), prose with `code` and **bold** spans, and the one shape of an experiment's
// error in a page.

export type Child = Node | string | number | null | undefined | false;

/** An element with attributes (false, null or undefined ones left out) and children. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string | number | boolean | null | undefined> = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) if (child !== null && child !== undefined && child !== false) node.append(typeof child === "number" ? String(child) : child);
  return node;
}

/** Prose split into plain, `code` and **bold** runs; an unclosed marker stays as it is. */
export function proseParts(text: string): {text: string; code?: boolean; bold?: boolean}[] {
  return text.split(/(`[^`]+`|\*\*[^*]+\*\*)/).filter(Boolean).map((part) =>
    part.length > 2 && part.startsWith("`") && part.endsWith("`") ? {text: part.slice(1, -1), code: true}
    : part.length > 4 && part.startsWith("**") && part.endsWith("**") ? {text: part.slice(2, -2), bold: true}
    : {text: part}
  );
}

/** Prose with `code` and **bold** spans as elements; never parsed as HTML. */
export function prose(text: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  for (const part of proseParts(text)) fragment.append(part.code ? el("code", {}, part.text) : part.bold ? el("strong", {}, part.text) : part.text);
  return fragment;
}

/** What went wrong with an experiment, in place of its output. */
export function experimentError(error: unknown): HTMLElement {
  const message = error instanceof Error ? `${error.name === "Error" ? "" : `${error.name}: `}${error.message}` : String(error);
  return el("p", {class: "workbook-error", role: "alert"}, message);
}
