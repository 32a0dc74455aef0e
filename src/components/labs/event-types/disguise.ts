// A command disguised as an event (11.2). Accounts registers users for a minute, the same users
// in two designs, each with its own email service of the same size. Honest design: Accounts
// publishes UserRegistered and is done; the email service, if there is one, reacts in its own
// time. Disguised design: Accounts publishes WelcomeEmailRequested naming "mailer-v2" and counts
// a registration as complete only when mailer-v2's reply arrives within the timeout: the
// coupling of a command, under an event's name. The email service is a FIFO pool of workers, so
// a slow one builds a backlog: the disguised design sees it as latency, then as timeouts.
import {createRandom} from "../../sim/random.js";
import {createSimulation, type Simulation} from "../../sim/simulation.js";

export const mailerStates = ["running", "slow", "renamed", "removed"] as const;
export type MailerState = (typeof mailerStates)[number];

export interface DisguiseParameters {
  seed: number | string;
  /** The email service: running normally, slow, redeployed as mailer-v3, or removed. */
  mailer: MailerState;
  durationMs: number;
  registrationsPerSecond: number;
  /** How long the disguised design waits for the mailer's reply. */
  replyTimeoutMs: number;
  /** Time for Accounts (or the mailer) to publish a message and have the broker acknowledge it. */
  publishMs: number;
  /** The email service's workers; emails beyond these wait in its queue, first in first out. */
  mailerWorkers: number;
  /** Mean time to send one email (exponentially distributed), running normally and slow. */
  emailMs: number;
  slowEmailMs: number;
  /** The interval the charts and metrics count registrations in. */
  intervalMs: number;
}

export const designs = ["UserRegistered (event)", "WelcomeEmailRequested (disguised command)"] as const;
export type Design = (typeof designs)[number];

export interface Registration {
  design: Design;
  id: number;
  start: number;
  /** When the registration counted as complete, or when it failed at the reply timeout. */
  end: number;
  completed: boolean;
  /** When the welcome email went out, or null if none did. */
  emailAt: number | null;
}

export interface DisguiseRun {
  parameters: DisguiseParameters;
  /** Every registration of both designs, honest ones first, each in arrival order. */
  registrations: Registration[];
}

/** What is wrong with the parameters, as one message per parameter. */
export function disguiseProblems(p: DisguiseParameters): string[] {
  const problems: string[] = [];
  const positive = (name: keyof DisguiseParameters, max: number) => {
    const value = p[name] as number;
    if (!(typeof value === "number" && value > 0 && value <= max)) problems.push(`${name} must be a number in (0, ${max}], got ${JSON.stringify(value)}`);
  };
  if (!mailerStates.includes(p.mailer)) problems.push(`mailer must be one of ${mailerStates.join(", ")}, got ${JSON.stringify(p.mailer)}`);
  positive("durationMs", 600_000);
  positive("registrationsPerSecond", 200);
  positive("replyTimeoutMs", 600_000);
  positive("emailMs", 600_000);
  positive("slowEmailMs", 600_000);
  positive("intervalMs", 600_000);
  if (!(typeof p.publishMs === "number" && p.publishMs >= 0 && p.publishMs <= 10_000)) problems.push(`publishMs must be a number in [0, 10000], got ${JSON.stringify(p.publishMs)}`);
  if (!(Number.isInteger(p.mailerWorkers) && p.mailerWorkers >= 1 && p.mailerWorkers <= 100)) problems.push(`mailerWorkers must be an integer from 1 to 100, got ${JSON.stringify(p.mailerWorkers)}`);
  return problems;
}

/** A FIFO pool of workers on the simulation's clock: a job waits for a free worker and holds it for its duration. */
function workerPool(sim: Simulation, workers: number): (ms: number, done: () => void) => void {
  let busy = 0;
  const waiting: {ms: number; done: () => void}[] = [];
  const start = (job: {ms: number; done: () => void}) => {
    busy++;
    sim.schedule(job.ms, () => {
      busy--;
      job.done();
      const next = waiting.shift();
      if (next) start(next);
    });
  };
  return (ms, done) => (busy < workers ? start({ms, done}) : waiting.push({ms, done}));
}

/** Poisson arrivals over the run, from the seed's own sub-stream (the same users in both designs). */
function arrivals(p: DisguiseParameters): number[] {
  const random = createRandom(`${p.seed}/arrivals`);
  const times: number[] = [];
  for (let t = random.exponential(1000 / p.registrationsPerSecond); t < p.durationMs; t += random.exponential(1000 / p.registrationsPerSecond)) times.push(t);
  return times;
}

export async function runDisguisedCommand(p: DisguiseParameters): Promise<DisguiseRun> {
  const problems = disguiseProblems(p);
  if (problems.length) throw new RangeError(problems.join("; "));
  const sim = createSimulation({seed: p.seed});
  const starts = arrivals(p);
  // One email time per user, drawn once: both designs' mailers send the same email equally fast.
  const emailRandom = createRandom(`${p.seed}/emails`);
  const emailTimes = starts.map(() => emailRandom.exponential(p.mailer === "slow" ? p.slowEmailMs : p.emailMs));
  // mailer-v3 still subscribes to UserRegistered but no longer answers requests addressed to mailer-v2.
  const readsEvents = p.mailer !== "removed";
  const answersV2 = p.mailer === "running" || p.mailer === "slow";
  const honestMailer = workerPool(sim, p.mailerWorkers);
  const disguisedMailer = workerPool(sim, p.mailerWorkers);

  const honest: Registration[] = [];
  const disguised: Registration[] = [];
  starts.forEach((start, id) => {
    const h: Registration = {design: designs[0], id, start, end: start + p.publishMs, completed: true, emailAt: null};
    const d: Registration = {design: designs[1], id, start, end: start + p.replyTimeoutMs, completed: false, emailAt: null};
    honest.push(h);
    disguised.push(d);
    sim.schedule(start + p.publishMs, () => {
      if (readsEvents) honestMailer(emailTimes[id], () => void (h.emailAt = sim.now));
      if (answersV2) {
        disguisedMailer(emailTimes[id], () => {
          d.emailAt = sim.now;
          // The reply travels back through the broker; Accounts has given up if the timeout passed.
          sim.schedule(p.publishMs, () => {
            if (sim.now - start <= p.replyTimeoutMs) Object.assign(d, {end: sim.now, completed: true});
          });
        });
      }
    });
  });
  await sim.runUntilIdle();
  return {parameters: p, registrations: [...honest, ...disguised]};
}
