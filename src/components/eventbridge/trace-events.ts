// The EventBridge model's trace events: kind => fields, exactly as the bus records them.
// Declaration merging adds them to the kernel's TraceEventMap; nothing imports this file: tsc
// reads it with src/.

import type {RuleState} from "./bus.js";

/** One delivery attempt of an event to one target of a rule; `attempt` counts from 0. */
interface Attempt {
  bus: string;
  rule: string;
  target: string;
  arn: string;
  eventId: string;
  attempt: number;
}

/** Why EventBridge gave up retrying (the DLQ message's EXHAUSTED_RETRY_CONDITION). */
type RetryCondition = "MaximumRetryAttemptsExhausted" | "MaximumEventAgeExceeded";

declare module "../sim/trace.js" {
  interface TraceEventMap {
    /** PutRule (create or update), EnableRule/DisableRule, DeleteRule. */
    "eventbridge.rule":
      | {action: "create" | "update"; bus: string; rule: string; state: RuleState; pattern: string}
      | {action: "enable" | "disable"; bus: string; rule: string; state: RuleState}
      | {action: "delete"; bus: string; rule: string};
    /** PutTargets / RemoveTargets, one event per target. */
    "eventbridge.target": {action: "put"; bus: string; rule: string; target: string; arn: string} | {action: "remove"; bus: string; rule: string; target: string};

    /** A PutEvents entry accepted onto the bus. */
    "eventbridge.put": {bus: string; eventId: string; source: string; detailType: string};
    /** A PutEvents entry refused (its ErrorCode and ErrorMessage in the response). */
    "eventbridge.put.failed": {errorCode: string; errorMessage: string};
    /** An enabled rule's pattern matched the event; `replay` names the replay that re-sent it. */
    "eventbridge.match": {bus: string; rule: string; eventId: string; targets: number; replay?: string};
    /** No rule matched: the event is gone (unless archived). */
    "eventbridge.unmatched": {bus: string; eventId: string; replay?: string};

    "eventbridge.deliver": Attempt;
    /** The target failed; `retryInMs` is the backoff before the next attempt, null when retries are over. */
    "eventbridge.deliver.failed": Attempt & {errorCode: string; errorMessage: string; retryInMs: number | null};
    /** Retries over and no dead-letter queue: the event is lost for this target. */
    "eventbridge.drop": Attempt & {condition: RetryCondition};
    /** Retries over: the event went to the target's dead-letter queue. */
    "eventbridge.dlq": Attempt & {queue: string; condition: RetryCondition};

    "eventbridge.archive.create": {archive: string; bus: string; retentionDays: number};
    /** An event stored in an archive. */
    "eventbridge.archive": {archive: string; eventId: string};
    /** Retention removed `expired` events from the archive. */
    "eventbridge.archive.expire": {archive: string; expired: number};
    /** StartReplay: `events` archived events will be re-sent to the bus. */
    "eventbridge.replay.start": {replay: string; archive: string; events: number};
    "eventbridge.replay.complete": {replay: string; events: number};
  }
}
