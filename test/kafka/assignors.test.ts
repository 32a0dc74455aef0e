import {describe, expect, it} from "vitest";
import fc from "fast-check";
import {
  ASSIGNORS,
  assign,
  isCooperative,
  type AssignorName,
  type MemberSubscription,
  type TopicPartition
} from "../../src/components/kafka/assignors.js";

// Kafka's own test cases are ported from clients/src/test/java/org/apache/kafka/clients/consumer/
// {RangeAssignorTest, RoundRobinAssignorTest, StickyAssignorTest, CooperativeStickyAssignorTest}
// and internals/{AbstractStickyAssignorTest, AbstractPartitionAssignorTest}; each `it` names the Java test.

const topic = "topic";
const topic1 = "topic1";
const topic2 = "topic2";
const topic3 = "topic3";

/** "topic1-0, topic2-1" ⇄ TopicPartition[] (TopicPartition.toString is topic-partition). */
function tps(s: string): TopicPartition[] {
  if (s === "") return [];
  return s.split(", ").map((x) => {
    const dash = x.lastIndexOf("-");
    return {topic: x.slice(0, dash), partition: Number(x.slice(dash + 1))};
  });
}
function show(ps: TopicPartition[]): string {
  return ps.map((p) => `${p.topic}-${p.partition}`).join(", ");
}
function sub(memberId: string, topics: string[], owned = "", generation?: number): MemberSubscription {
  return {memberId, topics, ownedPartitions: tps(owned), generation};
}
function shown(assignment: Record<string, TopicPartition[]>): Record<string, string> {
  return Object.fromEntries(Object.entries(assignment).map(([m, ps]) => [m, show(ps)]));
}
function owns(members: MemberSubscription[], assignment: Record<string, TopicPartition[]>, generation?: number): MemberSubscription[] {
  return members.map((m) => ({...m, ownedPartitions: assignment[m.memberId], generation}));
}
const key = (p: TopicPartition) => `${p.topic}-${p.partition}`;

/**
 * AbstractStickyAssignorTest.verifyValidityAndBalance: every partition assigned belongs to a subscribed
 * topic and to one member only; and a member with 2+ more partitions than another holds nothing the
 * other could take.
 */
function verifyValidityAndBalance(members: MemberSubscription[], assignment: Record<string, TopicPartition[]>) {
  expect(validityAndBalanceProblems(members, assignment)).toEqual([]);
}

function validityAndBalanceProblems(members: MemberSubscription[], assignment: Record<string, TopicPartition[]>): string[] {
  const problems: string[] = [];
  const byId = new Map(members.map((m) => [m.memberId, m]));
  const owner = new Map<string, string>();
  for (const [member, partitions] of Object.entries(assignment)) {
    for (const p of partitions) {
      if (!byId.get(member)!.topics.includes(p.topic)) problems.push(`${key(p)} assigned to ${member}, not subscribed`);
      if (owner.has(key(p))) problems.push(`${key(p)} assigned twice`);
      owner.set(key(p), member);
    }
  }
  for (const a of members) {
    for (const b of members) {
      if (assignment[b.memberId].length <= assignment[a.memberId].length + 1) continue;
      for (const p of assignment[b.memberId]) {
        if (a.topics.includes(p.topic)) problems.push(`${key(p)} could move from ${b.memberId} to ${a.memberId}`);
      }
    }
  }
  return problems;
}

function isFullyBalanced(assignment: Record<string, TopicPartition[]>): boolean {
  const sizes = Object.values(assignment).map((ps) => ps.length);
  return Math.max(...sizes) - Math.min(...sizes) <= 1;
}

describe("assignor names and bad input", () => {
  it("lists the four strategies; only cooperative-sticky is cooperative (KIP-429)", () => {
    expect(ASSIGNORS).toEqual(["range", "roundrobin", "sticky", "cooperative-sticky"]);
    expect(ASSIGNORS.filter(isCooperative)).toEqual(["cooperative-sticky"]);
  });

  it("rejects an unknown strategy, naming the allowed values", () => {
    expect(() => assign("fair" as AssignorName, [sub("c", [topic])], {topic: 1})).toThrow(
      new Error("unknown partition.assignment.strategy 'fair'; expected one of range, roundrobin, sticky, cooperative-sticky")
    );
  });

  it("rejects a partition count that is not a positive integer, naming the topic", () => {
    for (const bad of [0, -1, 1.5, NaN]) {
      expect(() => assign("range", [sub("c", [topic])], {topic: bad})).toThrow(RangeError);
      expect(() => assign("range", [sub("c", [topic])], {ok: 1, orders: bad})).toThrow(/topic 'orders'/);
    }
  });

  it("ignores owned partitions that do not exist", () => {
    const bogus = [{topic, partition: -1}, {topic, partition: 0.5}, {topic, partition: 7}, {topic: "other", partition: 0}];
    const members = [{...sub("c1", [topic], "", 1), ownedPartitions: bogus}, sub("c2", [topic], "", 1)];
    expect(shown(assign("sticky", members, {topic: 2}))).toEqual({c1: "topic-0", c2: "topic-1"});
  });

  it("rejects a member id given twice", () => {
    expect(() => assign("range", [sub("c", [topic]), sub("c", [topic])], {topic: 1})).toThrow(/duplicate member id 'c'/);
  });

});

describe("common cases (AbstractPartitionAssignor tests, every assignor)", () => {
  it.each(ASSIGNORS)("%s: testOneConsumerNoTopic / testOneConsumerNonexistentTopic", (name) => {
    expect(assign(name, [sub("consumer", [])], {})).toEqual({consumer: []});
    expect(assign(name, [sub("consumer", [topic])], {})).toEqual({consumer: []});
  });

  it.each(ASSIGNORS)("%s: testOneConsumerOneTopic / testOnlyAssignsPartitionsFromSubscribedTopics", (name) => {
    expect(shown(assign(name, [sub("consumer", [topic])], {topic: 3}))).toEqual({consumer: "topic-0, topic-1, topic-2"});
    expect(shown(assign(name, [sub("consumer", [topic])], {topic: 3, other: 3}))).toEqual({
      consumer: "topic-0, topic-1, topic-2"
    });
  });

  it.each(ASSIGNORS)("%s: testOneConsumerMultipleTopics", (name) => {
    expect(shown(assign(name, [sub("consumer", [topic1, topic2])], {topic1: 1, topic2: 2}))).toEqual({
      consumer: "topic1-0, topic2-0, topic2-1"
    });
  });

  it.each(ASSIGNORS)("%s: testTwoConsumersOneTopicTwoPartitions", (name) => {
    expect(shown(assign(name, [sub("consumer1", [topic]), sub("consumer2", [topic])], {topic: 2}))).toEqual({
      consumer1: "topic-0",
      consumer2: "topic-1"
    });
  });

  it.each(["range", "roundrobin"] as const)("%s: testTwoConsumersOneTopicOnePartition", (name) => {
    expect(shown(assign(name, [sub("consumer1", [topic]), sub("consumer2", [topic])], {topic: 1}))).toEqual({
      consumer1: "topic-0",
      consumer2: ""
    });
  });
});

describe("range (RangeAssignorTest)", () => {
  it("testMultipleConsumersMixedTopics", () => {
    const members = [sub("consumer1", [topic1]), sub("consumer2", [topic1, topic2]), sub("consumer3", [topic1])];
    expect(shown(assign("range", members, {topic1: 3, topic2: 2}))).toEqual({
      consumer1: "topic1-0",
      consumer2: "topic1-1, topic2-0, topic2-1",
      consumer3: "topic1-2"
    });
  });

  it("testTwoConsumersTwoTopicsSixPartitions", () => {
    const members = [sub("consumer1", [topic1, topic2]), sub("consumer2", [topic1, topic2])];
    expect(shown(assign("range", members, {topic1: 3, topic2: 3}))).toEqual({
      consumer1: "topic1-0, topic1-1, topic2-0, topic2-1",
      consumer2: "topic1-2, topic2-2"
    });
  });

  it("testTwoStaticConsumersTwoTopicsSixPartitions: members sorted by id, not by arrival", () => {
    const members = [sub("consumer-b", [topic1, topic2]), sub("consumer-a", [topic1, topic2])];
    expect(shown(assign("range", members, {topic1: 3, topic2: 3}))).toEqual({
      "consumer-b": "topic1-2, topic2-2",
      "consumer-a": "topic1-0, topic1-1, topic2-0, topic2-1"
    });
  });

  it("gives the first numPartitions % numMembers members one extra, per topic", () => {
    const members = ["c3", "c1", "c2"].map((id) => sub(id, [topic1, topic2]));
    expect(shown(assign("range", members, {topic1: 7, topic2: 2}))).toEqual({
      c3: "topic1-5, topic1-6",
      c1: "topic1-0, topic1-1, topic1-2, topic2-0",
      c2: "topic1-3, topic1-4, topic2-1"
    });
  });
});

describe("roundrobin (RoundRobinAssignorTest)", () => {
  it("testMultipleConsumersMixedTopics", () => {
    const members = [sub("consumer1", [topic1]), sub("consumer2", [topic1, topic2]), sub("consumer3", [topic1])];
    expect(shown(assign("roundrobin", members, {topic1: 3, topic2: 2}))).toEqual({
      consumer1: "topic1-0",
      consumer2: "topic1-1, topic2-0, topic2-1",
      consumer3: "topic1-2"
    });
  });

  it("testTwoConsumersTwoTopicsSixPartitions", () => {
    const members = [sub("consumer1", [topic1, topic2]), sub("consumer2", [topic1, topic2])];
    expect(shown(assign("roundrobin", members, {topic1: 3, topic2: 3}))).toEqual({
      consumer1: "topic1-0, topic1-2, topic2-1",
      consumer2: "topic1-1, topic2-0, topic2-2"
    });
  });

  it("testPoorRoundRobinAssignmentScenario (the round-robin result quoted in AbstractStickyAssignorTest)", () => {
    const all = ["topic1", "topic2", "topic3", "topic4", "topic5"];
    const odd = ["topic1", "topic3", "topic5"];
    const members = [sub("consumer1", all), sub("consumer2", odd), sub("consumer3", odd), sub("consumer4", all)];
    const counts = {topic1: 2, topic2: 1, topic3: 2, topic4: 1, topic5: 2};
    expect(shown(assign("roundrobin", members, counts))).toEqual({
      consumer1: "topic1-0, topic3-0, topic5-0",
      consumer2: "topic1-1, topic3-1, topic5-1",
      consumer3: "",
      consumer4: "topic2-0, topic4-0"
    });
    const sticky = assign("sticky", members, counts);
    verifyValidityAndBalance(members, sticky);
    expect(isFullyBalanced(sticky)).toBe(true);
  });
});

describe.each(["sticky", "cooperative-sticky"] as const)("%s (AbstractStickyAssignorTest)", (name) => {
  it("testMultipleConsumersMixedTopicSubscriptions (general algorithm)", () => {
    const members = [sub("consumer1", [topic1]), sub("consumer2", [topic1, topic2]), sub("consumer3", [topic1])];
    expect(shown(assign(name, members, {topic1: 3, topic2: 2}))).toEqual({
      consumer1: "topic1-0, topic1-2",
      consumer2: "topic2-0, topic2-1",
      consumer3: "topic1-1"
    });
  });

  it("testTwoConsumersTwoTopicsSixPartitions (constrained algorithm)", () => {
    const members = [sub("consumer1", [topic1, topic2]), sub("consumer2", [topic1, topic2])];
    expect(shown(assign(name, members, {topic1: 3, topic2: 3}))).toEqual({
      consumer1: "topic1-0, topic1-2, topic2-1",
      consumer2: "topic1-1, topic2-0, topic2-2"
    });
  });

  it("testConsumerOwningMinQuotaExpectedMaxQuota", () => {
    const t = [topic1, topic2];
    const members = [sub("consumer1", t, "topic1-0, topic2-1", 1), sub("consumer2", t, "topic1-1, topic2-2", 1)];
    expect(shown(assign(name, members, {topic1: 2, topic2: 3}))).toEqual({
      consumer1: "topic1-0, topic2-0, topic2-1",
      consumer2: "topic1-1, topic2-2"
    });
  });

  it("testAllConsumersAreUnderMinQuota", () => {
    const t = [topic1, topic2];
    const members = [sub("consumer1", t, "topic1-0", 1), sub("consumer2", t, "topic1-1", 1), sub("consumer3", t, "", 1)];
    expect(shown(assign(name, members, {topic1: 2, topic2: 3}))).toEqual({
      consumer1: "topic1-0, topic2-1",
      consumer2: "topic1-1, topic2-2",
      consumer3: "topic2-0"
    });
  });

  it("testAllConsumersReachExpectedQuotaAndAreConsideredFilled", () => {
    const members = [sub("consumer1", [topic], "topic-0, topic-1", 1), sub("consumer2", [topic], "topic-2", 1), sub("consumer3", [topic], "", 1)];
    expect(shown(assign(name, members, {topic: 4}))).toEqual({
      consumer1: "topic-0, topic-1",
      consumer2: "topic-2",
      consumer3: "topic-3"
    });
  });

  it("testOwnedPartitionsAreInvalidatedForConsumerWithStaleGeneration / ...WithNoGeneration", () => {
    for (const stale of [9, undefined]) {
      const t = [topic, topic2];
      const members = [sub("consumer1", t, "topic-0, topic-2, topic2-1", 10), sub("consumer2", t, "topic-0, topic-2, topic2-1", stale)];
      expect(shown(assign(name, members, {topic: 3, topic2: 3}))).toEqual({
        consumer1: "topic-0, topic-2, topic2-1",
        consumer2: "topic-1, topic2-0, topic2-2"
      });
    }
  });

  it("testEnsurePartitionsAssignedToHighestGeneration", () => {
    const t = [topic, topic2, topic3];
    const members = [
      sub("consumer1", t, "topic-0, topic2-0, topic3-0", 10),
      sub("consumer2", t, "topic-1, topic2-1, topic3-1", 9),
      sub("consumer3", t, "topic2-1, topic3-0, topic3-2", 8)
    ];
    expect(shown(assign(name, members, {topic: 3, topic2: 3, topic3: 3}))).toEqual({
      consumer1: "topic-0, topic2-0, topic3-0",
      consumer2: "topic-1, topic2-1, topic3-1",
      consumer3: "topic-2, topic2-2, topic3-2"
    });
  });

  it("testNoReassignmentOnCurrentMembers", () => {
    const t = [topic, topic2, topic3, topic1];
    const members = [
      sub("consumer1", t, "", undefined),
      sub("consumer2", t, "topic-0, topic2-0, topic1-0", 9),
      sub("consumer3", t, "topic3-2, topic2-2, topic1-1", 8),
      sub("consumer4", t, "topic3-1, topic-1, topic-2", 7)
    ];
    const result = assign(name, members, {topic: 3, topic1: 3, topic2: 3, topic3: 3});
    expect(show(result.consumer1)).toBe("topic1-2, topic2-1, topic3-0");
    verifyValidityAndBalance(members, result);
    expect(isFullyBalanced(result)).toBe(true);
  });

  it("testOwnedPartitionsAreInvalidatedForConsumerWithMultipleGeneration", () => {
    const t = [topic, topic2];
    const members = [sub("consumer1", t, "topic-0, topic2-1, topic-1", 10), sub("consumer2", t, "topic-0, topic2-1, topic2-2", 8)];
    expect(shown(assign(name, members, {topic: 3, topic2: 3}))).toEqual({
      consumer1: "topic-0, topic-1, topic2-1",
      consumer2: "topic-2, topic2-0, topic2-2"
    });
  });

  it("testAddRemoveTwoConsumersTwoTopics (first round)", () => {
    const t = [topic1, topic2];
    const members = [sub("consumer1", t), sub("consumer2", t)];
    expect(shown(assign(name, members, {topic1: 3, topic2: 4}))).toEqual({
      consumer1: "topic1-0, topic1-2, topic2-1, topic2-3",
      consumer2: "topic1-1, topic2-0, topic2-2"
    });
  });

  it("testReassignmentAfterOneConsumerLeaves / testSameSubscriptions: valid and balanced", () => {
    const pad = (i: number) => String(i).padStart(2, "0");
    const counts: Record<string, number> = {};
    for (let i = 1; i < 20; i++) counts[`t${pad(i)}`] = i;
    let members = Array.from({length: 19}, (_, i) => sub(`c${pad(i + 1)}`, Object.keys(counts).slice(0, i + 1)));
    let result = assign(name, members, counts);
    verifyValidityAndBalance(members, result);
    members = owns(members, result, 1).filter((m) => m.memberId !== "c10");
    result = assign(name, members, counts);
    if (name === "sticky") verifyValidityAndBalance(members, result);
  });

  it("testRackAwareAssignmentWithUniformSubscription (the expected non-rack-aware assignment)", () => {
    const all = ["t1", "t2", "t3"];
    const members = [0, 1, 2].map((i) => sub(`consumer${i}`, all));
    const expected = {
      consumer0: "t1-0, t1-3, t2-0, t2-3, t2-6",
      consumer1: "t1-1, t1-4, t2-1, t2-4, t3-0",
      consumer2: "t1-2, t1-5, t2-2, t2-5, t3-1"
    };
    const counts = {t1: 6, t2: 7, t3: 2};
    expect(shown(assign(name, members, counts))).toEqual(expected);
    // and an assignment that is already the target stays put
    const owned = members.map((m) => ({...m, ownedPartitions: tps(expected[m.memberId as keyof typeof expected])}));
    expect(shown(assign(name, owned, counts))).toEqual(expected);
  });

  it("testRackAwareAssignmentWithNonEqualSubscription (the expected non-rack-aware assignment)", () => {
    const all = ["t1", "t2", "t3"];
    const members = [sub("consumer0", all), sub("consumer1", all), sub("consumer2", ["t1", "t3"])];
    expect(shown(assign(name, members, {t1: 6, t2: 7, t3: 2}))).toEqual({
      consumer0: "t1-5, t2-0, t2-2, t2-4, t2-6",
      consumer1: "t1-3, t2-1, t2-3, t2-5, t3-0",
      consumer2: "t1-0, t1-1, t1-2, t1-4, t3-1"
    });
  });
});

describe("sticky: partitions kept or moved (AbstractStickyAssignorTest with StickyAssignor)", () => {
  it("testMaxQuotaConsumerMoreThanNumExpectedMaxCapacityMembers: Java's HashMap order decides who keeps maxQuota", () => {
    const t = [topic1, topic2];
    const members = [sub("consumer1", t, "topic1-0, topic2-0", 1), sub("consumer2", t, "topic1-1, topic2-1", 1), sub("consumer3", t, "", 1)];
    expect(shown(assign("sticky", members, {topic1: 2, topic2: 2}))).toEqual({
      consumer1: "topic1-0",
      consumer2: "topic1-1, topic2-1",
      consumer3: "topic2-0"
    });
  });

  it("testAddRemoveConsumerOneTopic", () => {
    let members = [sub("consumer1", [topic])];
    let result = assign("sticky", members, {topic: 3});
    expect(shown(result)).toEqual({consumer1: "topic-0, topic-1, topic-2"});
    members = [...owns(members, result, 1), sub("consumer2", [topic], "", 1)];
    result = assign("sticky", members, {topic: 3});
    expect(shown(result)).toEqual({consumer1: "topic-0, topic-1", consumer2: "topic-2"});
    members = owns(members, result, 1).filter((m) => m.memberId === "consumer2");
    expect(shown(assign("sticky", members, {topic: 3}))).toEqual({consumer2: "topic-0, topic-1, topic-2"});
  });

  // Expected values as updated by KAFKA-16277 (Kafka 3.8: owned partitions are re-kept in partition-then-topic
  // order, so that topics spread evenly).
  it("testAddRemoveTwoConsumersTwoTopics", () => {
    const t = [topic1, topic2];
    const counts = {topic1: 3, topic2: 4};
    let members = [sub("consumer1", t), sub("consumer2", t)];
    let result = assign("sticky", members, counts);
    members = [...owns(members, result, 1), sub("consumer3", t, "", 1), sub("consumer4", t, "", 1)];
    result = assign("sticky", members, counts);
    expect(shown(result)).toEqual({
      consumer1: "topic1-0, topic2-1",
      consumer2: "topic1-1, topic2-0",
      consumer3: "topic1-2, topic2-3",
      consumer4: "topic2-2"
    });
    members = owns(members, result, 1).filter((m) => m.memberId === "consumer3" || m.memberId === "consumer4");
    expect(shown(assign("sticky", members, counts))).toEqual({
      consumer3: "topic1-0, topic1-2, topic2-1, topic2-3",
      consumer4: "topic1-1, topic2-0, topic2-2"
    });
  });

  it("testTopicBalanceAfterReassignment (KAFKA-16277)", () => {
    const t = [topic1, topic2];
    const counts = {topic1: 12, topic2: 12};
    const perTopic = (result: Record<string, TopicPartition[]>, n: number) => {
      for (const ps of Object.values(result)) for (const x of t) expect(ps.filter((p) => p.topic === x)).toHaveLength(n);
    };
    let members = [sub("consumer1", t)];
    let result = assign("sticky", members, counts);
    perTopic(result, 12);
    members = [...owns(members, result, 1), sub("consumer2", t, "", 1)];
    result = assign("sticky", members, counts);
    perTopic(result, 6);
    members = [...owns(members, result, 1), sub("consumer3", t, "", 1), sub("consumer4", t, "", 1)];
    result = assign("sticky", members, counts);
    perTopic(result, 3);
    members = owns(members, result, 1).filter((m) => m.memberId === "consumer3" || m.memberId === "consumer4");
    result = assign("sticky", members, counts);
    perTopic(result, 6);
  });

  it("testAddRemoveTopicTwoConsumers", () => {
    let members = [sub("consumer1", [topic]), sub("consumer2", [topic])];
    const first = assign("sticky", members, {topic: 3});
    members = owns(members, first, 1).map((m) => ({...m, topics: [topic, topic2]}));
    const second = assign("sticky", members, {topic: 3, topic2: 3});
    for (const id of ["consumer1", "consumer2"]) {
      expect(second[id]).toHaveLength(3);
      expect(second[id]).toEqual(expect.arrayContaining(first[id]));
    }
    members = owns(members, second, 1).map((m) => ({...m, topics: [topic2]}));
    const third = assign("sticky", members, {topic2: 3});
    verifyValidityAndBalance(members, third);
    for (const id of ["consumer1", "consumer2"]) expect(second[id]).toEqual(expect.arrayContaining(third[id]));
  });

  it("testStickiness: the remaining members keep their partition when the leader leaves", () => {
    let members = ["consumer1", "consumer2", "consumer3", "consumer4"].map((id) => sub(id, [topic1]));
    const first = assign("sticky", members, {topic1: 3});
    members = owns(members, first, 1).filter((m) => m.memberId !== "consumer1");
    const second = assign("sticky", members, {topic1: 3});
    for (const m of members) {
      expect(second[m.memberId]).toHaveLength(1);
      if (first[m.memberId].length === 1) expect(second[m.memberId]).toEqual(first[m.memberId]);
    }
  });

  const all3 = [topic, topic2, topic3];
  const counts3 = {topic: 4, topic2: 4, topic3: 4};

  it.each([true, false])("testAssignmentWithMultipleGenerations1 (StickyAssignorTest), all subscriptions equal: %s", (equal) => {
    const all = [topic, topic2];
    const counts = {topic: 6, topic2: 6};
    const c2topics = equal ? all : [topic];
    const members = [sub("consumer1", all), sub("consumer2", c2topics), sub("consumer3", all)];
    const r1 = assign("sticky", members, counts);
    for (const m of members) expect(r1[m.memberId]).toHaveLength(4);
    verifyValidityAndBalance(members, r1);
    const r2Members = [sub("consumer1", all, show(r1.consumer1), 1), sub("consumer2", c2topics, show(r1.consumer2), 1)];
    const r2 = assign("sticky", r2Members, counts);
    expect(r2.consumer1).toHaveLength(6);
    expect(r2.consumer2).toHaveLength(6);
    if (equal) expect(r2.consumer1).toEqual(expect.arrayContaining(r1.consumer1));
    expect(r2.consumer2).toEqual(expect.arrayContaining(r1.consumer2));
    expect(r2.consumer2.some((p) => r1.consumer3.some((q) => key(p) === key(q)))).toBe(true);
    const r3Members = [sub("consumer2", c2topics, show(r2.consumer2), 2), sub("consumer3", all, show(r1.consumer3), 1)];
    const r3 = assign("sticky", r3Members, counts);
    expect(r3.consumer2).toHaveLength(6);
    expect(r3.consumer3).toHaveLength(6);
    verifyValidityAndBalance(r3Members, r3);
  });

  it.each([true, false])("testAssignmentWithMultipleGenerations2 (StickyAssignorTest), all subscriptions equal: %s", (equal) => {
    const members = [sub("consumer1", equal ? all3 : [topic]), sub("consumer2", all3), sub("consumer3", equal ? all3 : [topic, topic2])];
    const r1 = assign("sticky", members, counts3);
    const r2 = assign("sticky", [{...members[1], ownedPartitions: r1.consumer2, generation: 1}], counts3);
    expect(r2.consumer2).toHaveLength(12);
    expect(r2.consumer2).toEqual(expect.arrayContaining(r1.consumer2));
    const r3Members = [
      {...members[0], ownedPartitions: r1.consumer1, generation: 1},
      {...members[1], ownedPartitions: r2.consumer2, generation: 2},
      {...members[2], ownedPartitions: r1.consumer3, generation: 1}
    ];
    const r3 = assign("sticky", r3Members, counts3);
    for (const m of members) expect(r3[m.memberId]).toHaveLength(4);
    verifyValidityAndBalance(r3Members, r3);
  });

  it.each([true, false])("testAssignmentWithConflictingPreviousGenerations (StickyAssignorTest), all subscriptions equal: %s", (equal) => {
    const c1owned = equal ? "topic-0, topic-1, topic-2, topic2-2, topic2-3, topic3-0" : "topic-0, topic-1, topic-2, topic-3";
    const c2owned = "topic-0, topic-1, topic2-0, topic2-1, topic2-2, topic2-3";
    const c3owned = "topic-2, topic-3, topic3-0, topic3-1, topic3-2, topic3-3";
    const members = [
      sub("consumer1", equal ? all3 : [topic], c1owned, 1),
      sub("consumer2", equal ? all3 : [topic, topic2], c2owned, 2),
      sub("consumer3", all3, c3owned, 2)
    ];
    const result = assign("sticky", members, counts3);
    for (const m of members) expect(result[m.memberId]).toHaveLength(4);
    expect(tps(c2owned)).toEqual(expect.arrayContaining(result.consumer2));
    expect(tps(c3owned)).toEqual(expect.arrayContaining(result.consumer3));
    verifyValidityAndBalance(members, result);
  });

  it("testAssignorWithOldVersionSubscriptions", () => {
    const members = [sub("consumer1", [topic1], "topic1-0", 1), sub("consumer2", [topic1], "topic1-1", 1), sub("consumer3", [topic1], "", 1)];
    expect(shown(assign("sticky", members, {topic1: 3}))).toEqual({consumer1: "topic1-0", consumer2: "topic1-1", consumer3: "topic1-2"});
  });

  it("testSchemaBackwardCompatibility: a member without a generation keeps what nobody else claims", () => {
    const members = [sub("consumer1", [topic], "topic-0, topic-2", 1), sub("consumer2", [topic], "topic-1"), sub("consumer3", [topic])];
    const result = assign("sticky", members, {topic: 3});
    expect(tps("topic-0, topic-2")).toEqual(expect.arrayContaining(result.consumer1));
    expect(result.consumer2).toEqual(tps("topic-1"));
    expect(isFullyBalanced(result)).toBe(true);
  });

  it("testPartitionsTransferringOwnershipIncludeThePartitionClaimedByMultipleConsumersInSameGeneration", () => {
    const members = [sub("consumer1", [topic], "topic-0, topic-1", 1), sub("consumer2", [topic], "topic-0, topic-2", 1), sub("consumer3", [topic], "", 1)];
    expect(shown(assign("sticky", members, {topic: 3}))).toEqual({consumer1: "topic-1", consumer2: "topic-2", consumer3: "topic-0"});
  });
});

describe("cooperative-sticky: a partition changing owner is revoked first (CooperativeStickyAssignorTest)", () => {
  it("testMaxQuotaConsumerMoreThanNumExpectedMaxCapacityMembers: topic2-0 (transferring to consumer3) is held back", () => {
    const t = [topic1, topic2];
    const members = [sub("consumer1", t, "topic1-0, topic2-0", 1), sub("consumer2", t, "topic1-1, topic2-1", 1), sub("consumer3", t, "", 1)];
    const first = assign("cooperative-sticky", members, {topic1: 2, topic2: 2});
    expect(shown(first)).toEqual({consumer1: "topic1-0", consumer2: "topic1-1, topic2-1", consumer3: ""});
    expect(shown(assign("cooperative-sticky", owns(members, first, 2), {topic1: 2, topic2: 2}))).toEqual({
      consumer1: "topic1-0",
      consumer2: "topic1-1, topic2-1",
      consumer3: "topic2-0"
    });
  });

  it("testAddRemoveConsumerOneTopic: topic-2 moves to consumer2 in the follow-up rebalance", () => {
    const members = [sub("consumer1", [topic], "topic-0, topic-1, topic-2", 1), sub("consumer2", [topic], "", 1)];
    const first = assign("cooperative-sticky", members, {topic: 3});
    expect(shown(first)).toEqual({consumer1: "topic-0, topic-1", consumer2: ""});
    expect(shown(assign("cooperative-sticky", owns(members, first, 2), {topic: 3}))).toEqual({
      consumer1: "topic-0, topic-1",
      consumer2: "topic-2"
    });
  });

  it("testPartitionsTransferringOwnershipIncludeThePartitionClaimedByMultipleConsumersInSameGeneration: topic-0 waits", () => {
    const members = [sub("consumer1", [topic], "topic-0, topic-1", 1), sub("consumer2", [topic], "topic-0, topic-2", 1), sub("consumer3", [topic], "", 1)];
    expect(shown(assign("cooperative-sticky", members, {topic: 3}))).toEqual({consumer1: "topic-1", consumer2: "topic-2", consumer3: ""});
  });

  it("testRackAwareAssignmentWithNonEqualSubscription: owned → intermediate → final (general algorithm)", () => {
    const all = ["t1", "t2", "t3"];
    const topics = [all, all, ["t1", "t3"]];
    const counts = {t1: 6, t2: 7, t3: 2};
    const round = (owned: string[]) =>
      shown(assign("cooperative-sticky", topics.map((t, i) => sub(`consumer${i}`, t, owned[i])), counts));
    const intermediate = round(["t1-0, t1-1, t1-2, t1-3, t1-4", "t1-5, t2-0, t2-1, t2-2, t2-3", "t2-4, t2-5, t2-6, t3-0, t3-1"]);
    expect(intermediate).toEqual({consumer0: "t1-2, t1-3, t1-4", consumer1: "t2-0, t2-1, t2-2, t2-3", consumer2: "t3-0, t3-1"});
    expect(round(Object.values(intermediate))).toEqual({
      consumer0: "t1-2, t1-3, t1-4, t2-4, t2-5",
      consumer1: "t2-0, t2-1, t2-2, t2-3, t2-6",
      consumer2: "t1-0, t1-1, t1-5, t3-0, t3-1"
    });
  });
});

// ---------------------------------------------------------------------------------------------------
// Properties

const TOPICS = ["a", "b", "c", "d"];
// Varied ids, so that Java's HashMap order differs from both id order and arrival order.
const MEMBER_ID = fc.tuple(fc.constantFrom("consumer-", "c", "app-1-", "x"), fc.nat(40)).map(([p, n]) => `${p}${n}`);
const countsArb = fc.record(
  Object.fromEntries(TOPICS.map((t) => [t, fc.integer({min: 1, max: 8})])) as Record<string, fc.Arbitrary<number>>
);

/** A group: members with random subscriptions and random (possibly conflicting, stale) owned partitions. */
const groupArb = (equalSubscriptions: boolean) =>
  fc
    .record({
      counts: countsArb,
      shared: fc.subarray(TOPICS, {minLength: 1}),
      members: fc.uniqueArray(
        fc.record({
          memberId: MEMBER_ID,
          topics: fc.subarray(TOPICS, {minLength: 1}),
          owned: fc.array(fc.record({topic: fc.constantFrom(...TOPICS, "gone"), partition: fc.nat(9)}), {maxLength: 8}),
          generation: fc.option(fc.integer({min: 1, max: 3}), {nil: undefined})
        }),
        {minLength: 1, maxLength: 7, selector: (m) => m.memberId}
      )
    })
    .map(({counts, shared, members}) => ({
      counts,
      members: members.map(
        (m): MemberSubscription => ({
          memberId: m.memberId,
          topics: equalSubscriptions ? shared : m.topics,
          ownedPartitions: m.owned,
          generation: m.generation
        })
      )
    }));

function subscribedPartitions(members: MemberSubscription[], counts: Record<string, number>): string[] {
  const topics = new Set(members.flatMap((m) => m.topics));
  return [...topics].filter((t) => t in counts).flatMap((t) => Array.from({length: counts[t]}, (_, i) => `${t}-${i}`));
}

function ownerOf(assignment: Record<string, TopicPartition[]>): Map<string, string[]> {
  const owners = new Map<string, string[]>();
  for (const [member, ps] of Object.entries(assignment)) {
    for (const p of ps) owners.set(key(p), [...(owners.get(key(p)) ?? []), member]);
  }
  return owners;
}

/** Every member listed; every subscribed partition owned once, by a subscriber; lists sorted. Problems found, as text. */
function completenessProblems(members: MemberSubscription[], counts: Record<string, number>, assignment: Record<string, TopicPartition[]>): string[] {
  const problems: string[] = [];
  if (Object.keys(assignment).join() !== members.map((m) => m.memberId).join()) problems.push("members differ");
  const owners = ownerOf(assignment);
  const expected = subscribedPartitions(members, counts);
  for (const p of expected) if ((owners.get(p) ?? []).length !== 1) problems.push(`${p} owned by [${owners.get(p) ?? ""}]`);
  if (owners.size !== expected.length) problems.push("a partition of an unsubscribed or unknown topic is assigned");
  for (const m of members) {
    const ps = assignment[m.memberId];
    for (const p of ps) if (!m.topics.includes(p.topic)) problems.push(`${key(p)} given to ${m.memberId}, not subscribed`);
    for (let i = 1; i < ps.length; i++) {
      const [a, b] = [ps[i - 1], ps[i]];
      if (a.topic > b.topic || (a.topic === b.topic && a.partition >= b.partition)) problems.push(`${m.memberId}'s list is not sorted`);
    }
  }
  return problems;
}

describe("properties", () => {
  it.each(["range", "roundrobin", "sticky"] as const)(
    "%s: every partition of a subscribed topic has exactly one owner, a subscriber",
    (name) => {
      fc.assert(
        fc.property(fc.boolean().chain(groupArb), ({members, counts}) => {
          expect(completenessProblems(members, counts, assign(name, members, counts))).toEqual([]);
        }),
        {numRuns: 1000}
      );
    }
  );

  it.each(ASSIGNORS)("%s: pure and deterministic", (name) => {
    fc.assert(
      fc.property(fc.boolean().chain(groupArb), ({members, counts}) => {
        const copy = structuredClone(members);
        expect(assign(name, members, counts)).toEqual(assign(name, copy, counts));
        expect(members).toEqual(copy);
      }),
      {numRuns: 200}
    );
  });

  it.each(["roundrobin", "sticky"] as const)("%s: balanced (max - min ≤ 1) when all subscriptions are equal", (name) => {
    fc.assert(
      fc.property(groupArb(true), ({members, counts}) => {
        expect(isFullyBalanced(assign(name, members, counts))).toBe(true);
      }),
      {numRuns: 1000}
    );
  });

  it("sticky: no partition can move to a subscriber with 2+ fewer (general algorithm, random subscriptions)", () => {
    fc.assert(
      fc.property(groupArb(false), ({members, counts}) => {
        const fresh = members.map((m) => ({...m, ownedPartitions: []}));
        const first = assign("sticky", fresh, counts);
        expect(validityAndBalanceProblems(fresh, first)).toEqual([]);
        expect(validityAndBalanceProblems(members, assign("sticky", members, counts))).toEqual([]);
      }),
      {numRuns: 1000}
    );
  });

  it("sticky: adding a member to a balanced assignment moves only what the newcomer needs", () => {
    fc.assert(
      fc.property(groupArb(true), fc.nat(), ({members, counts}, at) => {
        const fresh = members.map((m) => ({...m, ownedPartitions: [], generation: undefined}));
        const before = assign("sticky", fresh, counts);
        const newcomer: MemberSubscription = {memberId: "newcomer", topics: members[0].topics, generation: 1};
        const joined = owns(fresh, before, 1);
        joined.splice(at % (joined.length + 1), 0, newcomer);
        const after = assign("sticky", joined, counts);
        expect(isFullyBalanced(after)).toBe(true);
        // every old member keeps a subset of what it had; the only partitions that move go to the newcomer
        const gained = fresh.filter((m) => after[m.memberId].some((p) => !before[m.memberId].some((q) => key(q) === key(p))));
        expect(gained).toEqual([]);
        const total = subscribedPartitions(fresh, counts).length;
        expect(after.newcomer.length).toBe(Math.floor(total / joined.length));
      }),
      {numRuns: 1000}
    );
  });

  // With equal subscriptions (the constrained algorithm) the follow-up rebalance always completes the
  // assignment. With different subscriptions Kafka's general algorithm may move one more partition in the
  // follow-up round (it computes the transfers after the fact), so a third rebalance can be needed:
  // 2 groups in 30,000 of these needed it (none with equal subscriptions).
  it("cooperative-sticky: rebalances converge (in two rounds for equal subscriptions), never handing out a partition another member still owns", () => {
    fc.assert(
      fc.property(
        fc.boolean().chain((equal) => groupArb(equal).map((g) => ({...g, equal}))),
        fc.array(fc.boolean(), {minLength: 7, maxLength: 7}),
        fc.array(MEMBER_ID, {maxLength: 2}),
        ({members, counts, equal}, leaves, joinerIds) => {
          // a stable previous generation (each partition owned once), then some members leave and some join
          const previous = assign("sticky", members.map((m) => ({...m, ownedPartitions: [], generation: undefined})), counts);
          const ids = new Set(members.map((m) => m.memberId));
          let group: MemberSubscription[] = owns(members, previous, 1).filter((_, i) => !leaves[i] || i === 0);
          group = [...group, ...[...new Set(joinerIds)].filter((id) => !ids.has(id)).map((id) => ({memberId: id, topics: members[0].topics, generation: 1}))];

          let rounds = 0;
          for (;;) {
            const result = assign("cooperative-sticky", group, counts);
            rounds++;
            const problems: string[] = [];
            for (const m of group) {
              for (const p of result[m.memberId]) {
                const other = group.find((o) => o !== m && (o.ownedPartitions ?? []).some((q) => key(q) === key(p)));
                if (other) problems.push(`round ${rounds}: ${key(p)} given to ${m.memberId} while ${other.memberId} owns it`);
              }
            }
            expect(problems).toEqual([]);
            if (completenessProblems(group, counts, result).length === 0) break;
            expect(rounds).toBeLessThan(equal ? 2 : 4);
            // the owners revoke what they were not given back, and rejoin with what they kept
            group = owns(group, result, rounds + 1);
          }
        }
      ),
      {numRuns: 1000}
    );
  });
});
