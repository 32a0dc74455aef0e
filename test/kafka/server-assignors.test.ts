// The consumer protocol's server-side assignors (KIP-848), with cases ported from apache/kafka's
// group-coordinator tests: UniformHomogeneousAssignmentBuilderTest and RangeAssignorTest
// (org.apache.kafka.coordinator.group.assignor). Java orders topics by their Uuids' hash; here
// the subscription's order stands for it, so each case lists the topics in the order Java visits them.
import fc from "fast-check";
import {describe, expect, it} from "vitest";
import {serverAssign, type ServerMemberSpec, type TopicPartition} from "../../src/components/kafka/assignors.js";

const tps = (spec: Record<string, number[]>): TopicPartition[] => Object.entries(spec).flatMap(([topic, ps]) => ps.map((partition) => ({topic, partition})));
const names = (a: Record<string, TopicPartition[]>) => Object.fromEntries(Object.entries(a).map(([m, list]) => [m, list.map((tp) => `${tp.topic}-${tp.partition}`)]));
const member = (memberId: string, topics: string[], assigned: Record<string, number[]> = {}): ServerMemberSpec => ({memberId, topics, assigned: tps(assigned)});

describe("uniform (UniformHomogeneousAssignmentBuilderTest)", () => {
  it("testReassignmentWhenOneMemberAddedAfterInitialAssignmentWithTwoMembersTwoTopics", () => {
    const result = serverAssign("uniform", [
      member("A", ["t1", "t2"], {t1: [0, 2], t2: [0]}),
      member("B", ["t1", "t2"], {t1: [1], t2: [1, 2]}),
      member("C", ["t1", "t2"])
    ], {t1: 3, t2: 3});
    expect(names(result)).toEqual({A: ["t1-0", "t1-2"], B: ["t1-1", "t2-1"], C: ["t2-0", "t2-2"]});
  });

  it("testReassignmentWhenOneMemberRemovedAfterInitialAssignmentWithThreeMembersTwoTopics (Java visits t2 first)", () => {
    const result = serverAssign("uniform", [
      member("A", ["t2", "t1"], {t1: [0], t2: [0]}),
      member("B", ["t2", "t1"], {t1: [1], t2: [1]})
    ], {t1: 3, t2: 3});
    expect(names(result)).toEqual({A: ["t1-0", "t2-0", "t2-2"], B: ["t1-1", "t1-2", "t2-1"]});
  });

  it("testReassignmentForTwoMembersTwoTopicsGivenUnbalancedPrevAssignment", () => {
    const result = serverAssign("uniform", [
      member("A", ["t1", "t2"], {t1: [0, 1], t2: [0, 1]}),
      member("B", ["t1", "t2"], {t1: [2], t2: [2]})
    ], {t1: 3, t2: 3});
    expect(names(result)).toEqual({A: ["t1-0", "t1-1", "t2-0"], B: ["t1-2", "t2-1", "t2-2"]});
  });

  it("testFirstAssignmentNumMembersGreaterThanTotalNumPartitions: one member gets nothing", () => {
    const result = serverAssign("uniform", [member("A", ["t3"]), member("B", ["t3"]), member("C", ["t3"])], {t3: 2});
    expect(Object.values(result).map((l) => l.length).sort()).toEqual([0, 1, 1]);
  });

  it("testOneMemberSubscribedToNonexistentTopic", () => {
    expect(() => serverAssign("uniform", [member("A", ["t2"])], {t1: 3})).toThrow(/does not exist/);
  });

  it("differs from the client-side range: a joining member takes partitions without the others' shifting", () => {
    const result = serverAssign("uniform", [member("A", ["t"], {t: [0, 1, 2]}), member("B", ["t"], {t: [3, 4, 5]}), member("C", ["t"])], {t: 6});
    expect(names(result)).toEqual({A: ["t-0", "t-1"], B: ["t-3", "t-4"], C: ["t-2", "t-5"]});
  });

  it("property: balanced (sizes differ by at most one), complete, and sticky up to each member's quota", () => {
    fc.assert(fc.property(fc.integer({min: 1, max: 8}), fc.integer({min: 0, max: 24}), fc.array(fc.integer({min: 0, max: 7}), {maxLength: 24}), (n, partitions, owners) => {
      const previous = new Map<string, number[]>();
      owners.slice(0, partitions).forEach((o, p) => o < n && previous.set(`m${o}`, [...(previous.get(`m${o}`) ?? []), p]));
      const members = Array.from({length: n}, (_, i) => member(`m${i}`, ["t"], {t: previous.get(`m${i}`) ?? []}));
      const result = serverAssign("uniform", members, {t: partitions});
      const sizes = Object.values(result).map((l) => l.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      const all = Object.values(result).flat().map((tp) => tp.partition).sort((a, b) => a - b);
      expect(all).toEqual(Array.from({length: partitions}, (_, p) => p));
      const quota = Math.ceil(partitions / n);
      for (const m of members) {
        const kept = result[m.memberId].filter((tp) => m.assigned.some((o) => o.partition === tp.partition)).length;
        expect(kept).toBeGreaterThanOrEqual(Math.min(m.assigned.length, Math.floor(partitions / n)));
        expect(result[m.memberId].length).toBeLessThanOrEqual(quota);
      }
    }), {numRuns: 300});
  });
});

describe("range (RangeAssignorTest, group-coordinator)", () => {
  it("testReassignmentWhenOneConsumerAddedAfterInitialAssignmentWithTwoConsumersTwoTopics", () => {
    const result = serverAssign("range", [
      member("A", ["t1", "t2"], {t1: [0, 1], t2: [0, 1]}),
      member("B", ["t1", "t2"], {t1: [2], t2: [2]}),
      member("C", ["t1"])
    ], {t1: 4, t2: 3});
    expect(names(result)).toEqual({A: ["t1-0", "t1-1", "t2-0", "t2-1"], B: ["t1-2", "t2-2"], C: ["t1-3"]});
  });

  it("testReassignmentWhenOneConsumerRemovedAfterInitialAssignmentWithTwoConsumersTwoTopics", () => {
    const result = serverAssign("range", [member("B", ["t1", "t2"], {t1: [2], t2: [2]})], {t1: 3, t2: 3});
    expect(names(result)).toEqual({B: ["t1-0", "t1-1", "t1-2", "t2-0", "t2-1", "t2-2"]});
  });

  it("testReassignmentWhenMultipleSubscriptionsRemovedAfterInitialAssignmentWithThreeConsumersTwoTopics", () => {
    const result = serverAssign("range", [
      member("A", ["t1"], {t1: [0, 1, 2], t2: [0]}),
      member("B", ["t1", "t2", "t3"], {t2: [1]}),
      member("C", ["t2"], {t2: [2], t3: [0, 1]})
    ], {t1: 3, t2: 3, t3: 2});
    expect(names(result)).toEqual({A: ["t1-0", "t1-1"], B: ["t1-2", "t2-0", "t2-1", "t3-0", "t3-1"], C: ["t2-2"]});
  });

  it("a first assignment is the client-side range's: consecutive ranges, the first members one more", () => {
    const result = serverAssign("range", [member("A", ["t"]), member("B", ["t"]), member("C", ["t"])], {t: 7});
    expect(names(result)).toEqual({A: ["t-0", "t-1", "t-2"], B: ["t-3", "t-4"], C: ["t-5", "t-6"]});
  });
});
