// Plot puts a <style> into every chart it draws (the same rules for every chart of one className:
// plot.js and legends/swatches.js). A chart redrawn in place at each step of a drag therefore
// removed one stylesheet and added another, and Chromium restyled every Plot chart on the long
// page each time (measured: 1,000 to 2,000 elements, 15 to 25 ms of a redraw's task). Each
// distinct rule text is kept once in the document's <head> instead, and the redrawn chart
// carries none, so a redraw changes no stylesheet.
const kept = new Set<string>();

/** `chart` without its <style> elements, whose rules stay in effect from the document's head. */
export function sharedStyle<T extends Node>(chart: T): T {
  if (!(chart instanceof Element)) return chart;
  for (const style of chart.querySelectorAll("style")) {
    const rules = style.textContent ?? "";
    if (!kept.has(rules)) {
      kept.add(rules);
      document.head.append(Object.assign(document.createElement("style"), {textContent: rules}));
    }
    style.remove();
  }
  return chart;
}
