// The names 11.4's runs, summaries and charts share, in a module of their own: the page's charts
// read them without loading the model (runs.ts runs in the lab's worker).

export type Strategy = "sticky (Kafka ≥ 2.4)" | "round-robin (before 2.4)";
export const STRATEGIES: readonly Strategy[] = ["sticky (Kafka ≥ 2.4)", "round-robin (before 2.4)"];
/** Each strategy's topic, in the order of STRATEGIES. */
export const KEYLESS_TOPICS = ["clicks-sticky", "clicks-round-robin"] as const;

export const ISOLATIONS = ["read_committed", "read_uncommitted"] as const;
export type Isolation = (typeof ISOLATIONS)[number];
