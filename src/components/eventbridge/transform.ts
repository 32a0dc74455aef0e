// Target input: Input (constant JSON), InputPath (one JSONPath) and InputTransformer
// (InputPathsMap + InputTemplate), as in the EventBridge User Guide, "Amazon EventBridge input
// transformation": a path's value goes into the template as JSON where the placeholder stands
// outside a string ({"state": <state>} → {"state": "running"}), and as raw text inside a string
// ("<instance> is <state>" → "i-0123 is running").

export interface InputTransformer {
  /** Variable name → JSONPath into the event ("$.detail.state"); at most 100. */
  InputPathsMap?: Record<string, string>;
  /** Text with <variable> placeholders; JSON or a quoted JSON string. */
  InputTemplate: string;
}

/** Predefined variables (User Guide, "Predefined variables for use in input transformation"). */
interface TransformContext {
  ruleName: string;
  ruleArn: string;
  /** ISO time the event reached the bus. */
  ingestionTime: string;
}

/** The pieces of a JSONPath of the simple form EventBridge uses: $.a.b, $.a[0], $['a-b']. */
export function parseJsonPath(path: string): Array<string | number> | string {
  if (typeof path !== "string" || !path.startsWith("$")) return `a JSONPath starts with "$" (like "$.detail.state"), got ${JSON.stringify(path)}`;
  const steps: Array<string | number> = [];
  let i = 1;
  while (i < path.length) {
    if (path[i] === ".") {
      const match = /^[^.[\]]+/.exec(path.slice(i + 1));
      if (!match) return `empty field name at position ${i + 1} of ${JSON.stringify(path)}`;
      steps.push(match[0]);
      i += 1 + match[0].length;
    } else if (path[i] === "[") {
      const index = /^\[(\d+)\]/.exec(path.slice(i));
      const quoted = /^\[(?:'([^']*)'|"([^"]*)")\]/.exec(path.slice(i));
      if (index) (steps.push(Number(index[1])), (i += index[0].length));
      else if (quoted) (steps.push(quoted[1] ?? quoted[2]), (i += quoted[0].length));
      else return `"[" must hold an array index or a quoted name at position ${i} of ${JSON.stringify(path)}`;
    } else return `unexpected ${JSON.stringify(path[i])} at position ${i} of ${JSON.stringify(path)}`;
  }
  return steps;
}

/** The value at a JSONPath, or undefined when the event has none there. */
export function readJsonPath(value: unknown, path: string): unknown {
  const steps = parseJsonPath(path);
  if (typeof steps === "string") return undefined;
  let current = value;
  for (const step of steps) {
    if (current === null || typeof current !== "object") return undefined;
    if (typeof step === "number") {
      if (!Array.isArray(current)) return undefined;
      current = current[step];
    } else {
      if (Array.isArray(current) || !Object.hasOwn(current, step)) return undefined;
      current = (current as Record<string, unknown>)[step];
    }
  }
  return current;
}

/** Why an InputTransformer would be refused by PutTargets, or null when it is fine. */
export function checkInputTransformer(transformer: unknown): string | null {
  if (typeof transformer !== "object" || transformer === null) return "InputTransformer must be an object with InputTemplate and optional InputPathsMap";
  const {InputPathsMap = {}, InputTemplate} = transformer as InputTransformer;
  if (typeof InputTemplate !== "string" || InputTemplate.length === 0 || InputTemplate.length > 8192) {
    return "InputTransformer.InputTemplate must be a string of 1 to 8192 characters";
  }
  if (typeof InputPathsMap !== "object" || InputPathsMap === null) return "InputTransformer.InputPathsMap must be an object of name → JSONPath";
  const entries = Object.entries(InputPathsMap);
  if (entries.length > 100) return `InputTransformer.InputPathsMap holds at most 100 variables, got ${entries.length}`;
  for (const [name, path] of entries) {
    if (!/^[A-Za-z0-9_-]+$/.test(name)) return `InputPathsMap variable names use letters, digits, "_" and "-"; got ${JSON.stringify(name)}`;
    if (name.startsWith("aws")) return `InputPathsMap variable ${JSON.stringify(name)}: names starting with "aws" are reserved for predefined variables`;
    const parsed = parseJsonPath(path);
    if (typeof parsed === "string") return `InputPathsMap.${name}: ${parsed}`;
  }
  return null;
}

/** The input a target receives: the template with every <variable> filled in. */
export function transformInput(event: Record<string, unknown>, transformer: InputTransformer, context: TransformContext): unknown {
  const values = new Map<string, unknown>();
  for (const [name, path] of Object.entries(transformer.InputPathsMap ?? {})) values.set(name, readJsonPath(event, path));
  values.set("aws.events.rule-name", context.ruleName);
  values.set("aws.events.rule-arn", context.ruleArn);
  values.set("aws.events.event.ingestion-time", context.ingestionTime);
  values.set("aws.events.event", event);
  values.set("aws.events.event.json", event);
  const template = transformer.InputTemplate;
  let out = "";
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const ch = template[i];
    if (ch === "\\" && inString) {
      out += ch + (template[i + 1] ?? "");
      i++;
      continue;
    }
    if (ch === '"') inString = !inString;
    if (ch === "<") {
      const match = /^<([A-Za-z0-9_.-]+)>/.exec(template.slice(i));
      if (match && values.has(match[1])) {
        const value = values.get(match[1]);
        out += inString ? textInsideString(value) : jsonOutsideString(value);
        i += match[0].length - 1;
        continue;
      }
    }
    out += ch;
  }
  try {
    return JSON.parse(out);
  } catch {
    return out; // a template that is not JSON is delivered as plain text
  }
}

function jsonOutsideString(value: unknown): string {
  return value === undefined ? "null" : JSON.stringify(value);
}

function textInsideString(value: unknown): string {
  if (value === undefined || value === null) return "";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return JSON.stringify(text).slice(1, -1);
}
