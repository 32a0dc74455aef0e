// The part of Node's util that avsc 5.7.9 uses: inherits, format (%s %d %j), deprecate, debuglog.
// Bundled into avsc.js by test/schema/avsc-bundle.test.ts; not imported at run time.

export function inherits(ctor, superCtor) {
  Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
  ctor.super_ = superCtor;
}

export function format(template, ...args) {
  let i = 0;
  const text = String(template).replace(/%[sdj%]/g, (m) => {
    if (m === "%%") return "%";
    if (i >= args.length) return m;
    const arg = args[i++];
    if (m === "%d") return String(Number(arg));
    if (m === "%j") {
      try {
        return JSON.stringify(arg);
      } catch {
        return "[Circular]";
      }
    }
    return String(arg);
  });
  return [text, ...args.slice(i).map(String)].join(" ");
}

export function deprecate(fn) {
  return fn;
}

export function debuglog() {
  return () => {};
}

export default {inherits, format, deprecate, debuglog};
