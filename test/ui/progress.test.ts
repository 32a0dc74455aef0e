import {describe, expect, it} from "vitest";
import {describeProgress, readProgress, recordAttempt} from "../../src/components/ui/progress.js";

function memory(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return {getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v), items};
}

describe("exercise progress in localStorage", () => {
  it("records attempts: a pass stays passed after a later failure", () => {
    const storage = memory();
    expect(readProgress("x", storage)).toBeNull();
    expect(recordAttempt("x", false, 1000, storage)).toEqual({passed: false, lastAttempt: 1000, lastPassed: false});
    expect(recordAttempt("x", true, 2000, storage)).toEqual({passed: true, lastAttempt: 2000, lastPassed: true});
    expect(recordAttempt("x", false, 3000, storage)).toEqual({passed: true, lastAttempt: 3000, lastPassed: false});
    expect(readProgress("x", storage)).toEqual({passed: true, lastAttempt: 3000, lastPassed: false});
    expect(readProgress("y", storage)).toBeNull();
  });

  it.each(["{", "null", "42", '"passed"', '{"passed":"yes","lastAttempt":1,"lastPassed":true}', '{"passed":true,"lastAttempt":"soon","lastPassed":true}', "[]"])("reads a corrupt value (%s) as not tried", (value) => {
    const storage = memory({"eda-workbook:exercise:x": value});
    expect(readProgress("x", storage)).toBeNull();
    expect(recordAttempt("x", true, 5, storage)).toEqual({passed: true, lastAttempt: 5, lastPassed: true});
  });

  it("survives storage that throws, and no storage at all", () => {
    const refusing = {
      getItem: () => {
        throw new Error("SecurityError");
      },
      setItem: () => {
        throw new Error("QuotaExceededError");
      }
    };
    expect(readProgress("x", refusing)).toBeNull();
    expect(recordAttempt("x", true, 7, refusing)).toEqual({passed: true, lastAttempt: 7, lastPassed: true});
    expect(readProgress("x", null)).toBeNull();
  });

  it("says it in words", () => {
    expect(describeProgress(null)).toBe("Not tried yet");
    expect(describeProgress({passed: true, lastAttempt: Date.UTC(2026, 11, 1, 9, 30), lastPassed: true})).toMatch(/^Passed · last graded 1 Dec/);
    expect(describeProgress({passed: false, lastAttempt: 0, lastPassed: false})).toMatch(/^Not passed yet/);
  });
});
