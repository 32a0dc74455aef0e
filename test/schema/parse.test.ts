import {describe, expect, it} from "vitest";
import {findValueProblems, MAX_SCHEMA_DEPTH, parseSchemaText, SchemaParseError, toType} from "../../src/components/schema/parse.js";

describe("schema text", () => {
  it("parses JSON text, JSON objects and bare primitive names", () => {
    const parsed = parseSchemaText(`{"type": "record", "name": "Order", "fields": [{"name": "id", "type": "long"}]}`);
    expect(parsed.ok).toBe(true);
    expect(toType("long").typeName).toBe("long");
    expect(toType('"string"').typeName).toBe("string");
  });

  it("reports a JSON syntax error with its line and column", () => {
    const text = `{\n  "type": "record",\n  "name": "Order"\n  "fields": []\n}`;
    expect(parseSchemaText(text)).toEqual({
      ok: false,
      error: {kind: "json-syntax", message: "invalid JSON at 4:3: expected ',' or '}' after property value, found '\"'", line: 4, column: 3, offset: 42}
    });
    const cases: [string, string][] = [
      [`{"type": "record",}`, "1:19: trailing comma before '}'"],
      [`{'type': 'int'}`, "1:2: expected a property name in double quotes, found '''"],
      [`{"type": "int"`, "1:15: expected ',' or '}' after property value, found end of input"],
      [`{"doc": "a\nb"}`, "1:11: unescaped control character"],
      [`["null", "int",]`, "1:16: trailing comma before ']'"],
      [`{"type": "int"} x`, "1:17: unexpected 'x' after the end of the schema"]
    ];
    for (const [input, expected] of cases) {
      const result = parseSchemaText(input);
      expect(result.ok ? "ok" : result.error.message, input).toContain(`invalid JSON at ${expected}`);
    }
  });

  it("explains invalid Avro: an unknown type, a missing name, a bad default", () => {
    const messageOf = (text: string) => {
      const result = parseSchemaText(text);
      return result.ok ? "ok" : result.error.message;
    };
    expect(messageOf(`{"type": "record", "name": "A", "fields": [{"name": "a", "type": "strng"}]}`)).toMatch(/^invalid Avro schema: unknown type "strng": use a primitive/);
    expect(messageOf(`{"type": "record", "fields": []}`)).toMatch(/^invalid Avro schema: missing name property in schema: .* \(records, enums and fixed types need a "name"\)/);
    expect(messageOf(`{"type": "record", "name": "A", "fields": [{"name": "a", "type": "int", "default": "zero"}]}`)).toMatch(/invalid Avro schema: .*default/);
    expect(() => toType(42 as never)).toThrow(SchemaParseError);
  });

  it("finds each field and value that do not fit", () => {
    const type = toType({
      type: "record",
      name: "Order",
      fields: [
        {name: "id", type: "long"},
        {name: "lines", type: {type: "array", items: {type: "record", name: "Line", fields: [{name: "sku", type: "string"}]}}}
      ]
    });
    expect(findValueProblems(type, {id: 1, lines: [{sku: "a"}]})).toEqual([]);
    expect(findValueProblems(type, {id: "1", lines: [{sku: "a"}, {sku: 2}]})).toEqual([
      {path: "id", value: "1", expected: "long"},
      {path: "lines[1].sku", value: 2, expected: "string"}
    ]);
  });
});

describe("what is not an Avro schema says what was expected (issue 16, item 11)", () => {
  const message = (text: string) => {
    const parsed = parseSchemaText(text);
    if (parsed.ok) throw new Error(`${text} parsed`);
    return parsed.error.message;
  };
  it("an empty object, a field without a type, a number", () => {
    expect(message("{}")).toBe('not an Avro schema: the schema is an object without "type": give it one, such as {"type": "string"} or {"type": "record", "name": ..., "fields": [..]}');
    expect(message('{"type": "record", "name": "A", "fields": [{"name": "x"}]}')).toBe('not an Avro schema: field "x" of the schema needs a "type", such as {"name": "total", "type": "double"}');
    expect(message('{"type": "record", "name": "A", "fields": [{"name": "x", "type": {}}]}')).toMatch(/^not an Avro schema: field "x" of the schema is an object without "type"/);
    expect(message("42")).toBe('not an Avro schema: the schema must be a type name such as "string", a union [..] or an object with a "type", not 42');
  });
  it("nesting 20,000 deep is refused with the limit, not a stack overflow", () => {
    let deep = '"string"';
    for (let i = 0; i < 20_000; i++) deep = `{"type": "array", "items": ${deep}}`;
    expect(message(deep)).toBe(`not an Avro schema: it nests types deeper than ${MAX_SCHEMA_DEPTH} levels (arrays, maps, records and unions inside one another)`);
  });
  it("a schema just inside the limit still parses", () => {
    let deep = '"string"';
    for (let i = 0; i < MAX_SCHEMA_DEPTH; i++) deep = `{"type": "array", "items": ${deep}}`;
    expect(parseSchemaText(deep).ok).toBe(true);
  });
});
