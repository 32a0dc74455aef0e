// A command disguised as an event (11.2). Accounts registers users for a minute. Honest
// design: it publishes UserRegistered and is done; an email service, if any, reacts. Disguised
// design: it publishes WelcomeEmailRequested naming "mailer-v2" and waits for its reply before
// the registration counts as complete: the coupling of a command, with an event's name.
import {createSimulation} from "../../sim/simulation.js";

export type MailerState = "running" | "slow" | "renamed" | "removed";

export interface DisguiseOptions {
  seed?: number | string;
  mailer?: MailerState;
  durationMs?: number;
  registrationsPerSecond?: number;
  /** How long the disguised design waits for the mailer's reply. */
  replyTimeoutMs?: number;
}

export interface Registration {
  design: "UserRegistered (event)" | "WelcomeEmailRequested (disguised command)";
  id: number;
  start: number;
  end: number;
  completed: boolean;
  emailSent: boolean;
}

export async function runDisguisedCommand({seed = 2, mailer = "running", durationMs = 60_000, registrationsPerSecond = 5, replyTimeoutMs = 3_000}: DisguiseOptions = {}): Promise<Registration[]> {
  if (!["running", "slow", "renamed", "removed"].includes(mailer)) throw new RangeError(`mailer must be one of running, slow, renamed, removed; got "${mailer}"`);
  if (!(registrationsPerSecond > 0 && registrationsPerSecond <= 200)) throw new RangeError(`registrationsPerSecond must be in (0, 200], got ${registrationsPerSecond}`);
  const sim = createSimulation({seed});
  const out: Registration[] = [];
  const subscribed = mailer !== "removed";
  // The mailer was redeployed as mailer-v3: it still reacts to UserRegistered, but no longer
  // answers requests addressed to mailer-v2.
  const answersV2 = mailer === "running" || mailer === "slow";
  const emailMs = () => sim.random.exponential(mailer === "slow" ? 4_000 : 200);

  let t = 0;
  for (let id = 0; ; id++) {
    t += sim.random.exponential(1000 / registrationsPerSecond);
    if (t >= durationMs) break;
    const start = t;
    const delay = emailMs();
    sim.schedule(start, () => {
      out.push({design: "UserRegistered (event)", id, start, end: start + 5, completed: true, emailSent: subscribed});
      sim.record("events.registration", {design: "event", id, completed: true});
      const replyAt = answersV2 ? delay : Infinity;
      const completed = replyAt <= replyTimeoutMs;
      const end = start + Math.min(replyAt, replyTimeoutMs);
      out.push({design: "WelcomeEmailRequested (disguised command)", id, start, end, completed, emailSent: answersV2});
      sim.record("events.registration", {design: "disguised", id, completed});
    });
  }
  await sim.runUntilIdle();
  return out;
}
