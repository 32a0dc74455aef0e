// 11.3's exercise model, "acking-work-queue": the reader writes the start-up of a support agent
// that takes tickets from a RabbitMQ work queue (the amqplib-shaped facade on the simulated
// broker). The grader crashes agents, makes the work fail and drops connections; the property is
// that every published ticket is handled to completion at least once. RabbitMQ requeues what a
// closed channel held unacknowledged (https://www.rabbitmq.com/docs/confirms#automatic-requeueing),
// but a ticket acknowledged before its work finished (noAck, or an early ack) is deleted, and one
// never settled after a failure stays with its agent, so the reader's acks decide what survives.
import {createSimulation, type Random, type Simulation} from "../sim/index.js";
import {connect, type Channel, type ConsumeMessage} from "../rabbitmq/amqplib.js";
import {createBroker, type Broker} from "../rabbitmq/broker.js";
import type {Attempt, ExerciseModel, Fault, Moment, Outcome} from "./exercise.js";
import {errorText, seconds} from "./grade.js";
import {describeValue, EXERCISE_MAX_STEPS, settled} from "./kit.js";

export const WORK_QUEUE_FAULTS = ["crash", "work-fails", "connection-lost"] as const;

export interface WorkQueueExerciseParameters {
  tickets: number;
  /** Virtual ms between two publishes. */
  gapMs: number;
  /** Virtual ms handleTicket takes. */
  processingMs: number;
  agents: string[];
  /** How long a crashed agent's process takes to come back (and call startAgent again). */
  restartMs: number;
  /** Fault kinds to draw from (WORK_QUEUE_FAULTS). */
  faultKinds: string[];
  /** Most faults per seed. */
  maxFaults: number;
  /** The run ends here even if tickets are still unhandled. */
  deadlineMs: number;
}

export const workQueueDefaults: WorkQueueExerciseParameters = {
  tickets: 12,
  gapMs: 40,
  processingMs: 120,
  agents: ["agent-a", "agent-b"],
  restartMs: 300,
  faultKinds: [...WORK_QUEUE_FAULTS],
  maxFaults: 3,
  deadlineMs: 30_000
};

/** The reader's function: called each time an agent's process starts, with a fresh channel. */
export type StartAgent = (channel: Channel, handleTicket: (msg: ConsumeMessage) => Promise<void>) => unknown;

const QUEUE = "tickets";
const MAX_REQUEUES_AT_ONCE = 1000;
const ticketName = (n: number) => `ticket-${n}`;

export function ackingWorkQueue(overrides: Partial<WorkQueueExerciseParameters> = {}): ExerciseModel<StartAgent> {
  const p = {...workQueueDefaults, ...overrides};
  const horizon = p.tickets * p.gapMs + (p.tickets * p.processingMs) / p.agents.length;
  return {
    solution(value) {
      if (typeof value !== "function") throw new TypeError(`the cell must end with your startAgent function (as its last line: startAgent), but it ended with ${describeValue(value)}`);
      return value as StartAgent;
    },
    faults: (random: Random): Fault[] =>
      Array.from({length: 1 + random.int(p.maxFaults)}, () => ({kind: random.pick(p.faultKinds), at: Math.round(random.next() * horizon), target: random.pick(p.agents)})),
    run: (startAgent, attempt) => runWorkQueue(p, startAgent, attempt)
  };
}

interface TicketState {
  moments: Moment[];
  handled: boolean;
  /** Where it is: waiting in the queue, unacked with an agent's channel, or deleted by the broker. */
  place: "ready" | "held" | "deleted";
  holder?: string;
}

/** One life of an agent's process: its connection, and whether it is still running. */
interface Life {
  agent: string;
  alive: boolean;
  /** Unacked deliveries on this life's channel: delivery tag -> ticket. */
  unacked: Map<number, number>;
  close(): void;
}

async function runWorkQueue(p: WorkQueueExerciseParameters, startAgent: StartAgent, {seed, faults}: Attempt): Promise<Outcome> {
  const sim = createSimulation({seed, trace: false, maxSteps: EXERCISE_MAX_STEPS});
  const broker = createBroker(sim);
  const publisher = await (await connect("amqp://simulated", {broker})).createChannel();
  await publisher.assertQueue(QUEUE, {durable: true});
  const tickets: TicketState[] = Array.from({length: p.tickets}, () => ({moments: [], handled: false, place: "ready"}));
  const note = (n: number, text: string) => tickets[n].moments.push({at: sim.now, text});
  const errors: Moment[] = [];
  const lives = new Map<string, Life>();
  const failures: {agent: string}[] = [];

  const requeue = (life: Life) => {
    for (const n of life.unacked.values()) {
      tickets[n].place = "ready";
      note(n, `back in the queue at ${seconds(sim.now)} (${life.agent}'s channel closed with it unacknowledged)`);
    }
    life.unacked.clear();
  };

  async function start(agent: string): Promise<void> {
    const connection = await connect("amqp://simulated", {broker});
    const life: Life = {agent, alive: true, unacked: new Map(), close: () => void connection.close().catch(() => {})};
    lives.set(agent, life);
    const channel = await connection.createChannel();
    channel.on("error", () => {}); // a channel error closes it (as on RabbitMQ); the moments say so
    const handleTicket = (msg: ConsumeMessage): Promise<void> => {
      const n = ticketOf(msg);
      const failing = failures.findIndex((f) => f.agent === agent);
      if (failing >= 0) failures.splice(failing, 1);
      return new Promise((resolve, reject) => {
        sim.schedule(failing >= 0 ? p.processingMs / 2 : p.processingMs, () => {
          if (!life.alive) return; // the process died: its work never finishes
          if (n === null) reject(new TypeError("handleTicket needs a message from the queue"));
          else if (failing >= 0) {
            note(n, `${agent}'s work on it failed at ${seconds(sim.now)} (the helpdesk API answered 503)`);
            reject(new Error(`the helpdesk API answered 503 for ${ticketName(n)}`));
          } else {
            if (!tickets[n].handled) note(n, `handled by ${agent} at ${seconds(sim.now)}`);
            tickets[n].handled = true;
            resolve();
          }
          return settled();
        });
      });
    };
    channel.once("close", () => sim.schedule(0, () => requeue(life)));
    try {
      await startAgent(watched(channel, life), handleTicket);
    } catch (error) {
      errors.push({at: sim.now, text: `startAgent of ${agent} threw at ${seconds(sim.now)}: ${errorText(error)}`});
    }
  }

  // RabbitMQ hands a requeued message out again at once: code that rejects with requeue whatever it
  // gets spins without end at one instant. Past MAX_REQUEUES_AT_ONCE the wrapper refuses the requeue.
  let requeues = {at: -1, count: 0};
  const loop: {spinning: Moment | null} = {spinning: null};
  const countRequeue = (life: Life) => {
    requeues = requeues.at === sim.now ? {at: sim.now, count: requeues.count + 1} : {at: sim.now, count: 1};
    if (requeues.count <= MAX_REQUEUES_AT_ONCE && !loop.spinning) return;
    loop.spinning ??= {at: sim.now, text: `${life.agent} rejected tickets with requeue ${MAX_REQUEUES_AT_ONCE.toLocaleString("en-US")} times at ${seconds(sim.now)} without handling them: RabbitMQ redelivers a requeued message at once, so this loops forever (the grader stopped it)`};
    throw new Error("requeue loop stopped by the grader");
  };

  /** The channel the reader gets: the real one, with deliveries and settlements noted per ticket. */
  function watched(channel: Channel, life: Life): Channel {
    const settle = (tag: number, allUpTo: boolean, how: "acked" | "requeued" | "rejected") => {
      for (const [t, n] of [...life.unacked]) {
        if (!(t === tag || (allUpTo && (tag === 0 || t <= tag)))) continue;
        life.unacked.delete(t);
        tickets[n].place = how === "requeued" ? "ready" : "deleted";
        note(n, how === "acked" ? `${life.agent} acknowledged it at ${seconds(sim.now)}` : how === "requeued" ? `${life.agent} rejected it with requeue at ${seconds(sim.now)}` : `${life.agent} rejected it without requeue at ${seconds(sim.now)}: RabbitMQ dropped it`);
      }
    };
    const overrides: Partial<Channel> = {
      consume: (queue, onMessage, options = {}) =>
        channel.consume(
          queue,
          (msg) => {
            const n = msg ? ticketOf(msg) : null;
            if (msg && n !== null && life.alive) {
              note(n, `delivered to ${life.agent} at ${seconds(sim.now)}${msg.fields.redelivered ? " (redelivered)" : ""}${options.noAck ? " with noAck: RabbitMQ counted it acknowledged on delivery" : ""}`);
              tickets[n].place = options.noAck ? "deleted" : "held";
              tickets[n].holder = life.agent;
              if (!options.noAck) life.unacked.set(msg.fields.deliveryTag, n);
            }
            if (!life.alive) return;
            try {
              const result = onMessage(msg) as unknown;
              if (result instanceof Promise) result.catch((error: unknown) => errors.push({at: sim.now, text: `${life.agent}'s consume callback failed at ${seconds(sim.now)}: ${errorText(error)}`}));
            } catch (error) {
              errors.push({at: sim.now, text: `${life.agent}'s consume callback threw at ${seconds(sim.now)}: ${errorText(error)}`});
            }
          },
          options
        ),
      ack: (message, allUpTo = false) => (channel.ack(message, allUpTo), settle(message.fields.deliveryTag, allUpTo, "acked")),
      ackAll: () => (channel.ackAll(), settle(0, true, "acked")),
      nack: (message, allUpTo = false, requeue = true) => (requeue && countRequeue(life), channel.nack(message, allUpTo, requeue), settle(message.fields.deliveryTag, allUpTo, requeue ? "requeued" : "rejected")),
      nackAll: (requeue = true) => (requeue && countRequeue(life), channel.nackAll(requeue), settle(0, true, requeue ? "requeued" : "rejected")),
      reject: (message, requeue = true) => (requeue && countRequeue(life), channel.reject(message, requeue), settle(message.fields.deliveryTag, false, requeue ? "requeued" : "rejected"))
    };
    return new Proxy(channel, {
      get(target, name) {
        if (name in overrides) return overrides[name as keyof Channel];
        const value = Reflect.get(target, name, target) as unknown;
        return typeof value === "function" ? value.bind(target) : value;
      }
    });
  }

  // The kernel waits for the agent's start-up to get through its awaits now, not for all of it:
  // the reader's startAgent may wait for something that needs the clock to move.
  const startSoon = (agent: string) => {
    void start(agent);
    return settled();
  };
  const stop = (agent: string, how: "crash" | "connection-lost") => {
    const life = lives.get(agent);
    if (!life) return;
    // A crash ends the process (its work never finishes); a lost connection leaves it running.
    if (how === "crash") life.alive = false;
    tickets.forEach((t, n) => t.holder === agent && !t.handled && t.place !== "ready" && note(n, how === "crash" ? `${agent} crashed at ${seconds(sim.now)}` : `${agent}'s connection dropped at ${seconds(sim.now)}`));
    lives.delete(agent);
    life.close();
    sim.schedule(p.restartMs, () => startSoon(agent));
  };
  for (const f of faults) {
    const agent = f.target ?? p.agents[0];
    sim.schedule(f.at, () => {
      if (f.kind === "crash" || f.kind === "connection-lost") stop(agent, f.kind);
      else if (f.kind === "work-fails") failures.push({agent});
      else throw new RangeError(`acking-work-queue has no fault "${f.kind}" (it knows ${WORK_QUEUE_FAULTS.join(", ")})`);
    });
  }
  for (const agent of p.agents) sim.schedule(0, () => startSoon(agent));
  for (let n = 0; n < p.tickets; n++) {
    sim.schedule(n * p.gapMs, () => {
      note(n, `published at ${seconds(sim.now)}`);
      publisher.sendToQueue(QUEUE, ticketName(n), {persistent: true});
    });
  }
  while (sim.now < p.deadlineMs && !tickets.every((t) => t.handled)) await sim.advance(250);

  if (loop.spinning) return {ok: false, problem: `${loop.spinning.text}.`, moments: [loop.spinning, ...errors.slice(0, 5)]};
  const lost = tickets.findIndex((t) => !t.handled);
  if (lost < 0) return {ok: true};
  return {ok: false, problem: lostProblem(lost, tickets[lost], sim, broker), moments: [...tickets[lost].moments, ...errors.slice(0, 5)].sort((a, b) => a.at - b.at)};
}

function ticketOf(msg: ConsumeMessage | null): number | null {
  const match = msg?.content ? /^ticket-(\d+)$/.exec(new TextDecoder().decode(msg.content)) : null;
  return match ? Number(match[1]) : null;
}

/** "ticket-7 was never handled: delivered to agent-a at 0.35 s with noAck, ...; RabbitMQ had deleted it." */
function lostProblem(n: number, ticket: TicketState, sim: Simulation, broker: Broker): string {
  const story = ticket.moments.filter((m) => !m.text.startsWith("published")).map((m) => m.text);
  const end =
    ticket.place === "deleted"
      ? "RabbitMQ had already deleted it, so no agent could get it again"
      : ticket.place === "held"
        ? `it was still unacknowledged with ${ticket.holder} when the run ended at ${seconds(sim.now)}: nothing acked or rejected it after its work failed, and it kept a place in ${ticket.holder}'s prefetch`
        : `it was still waiting in the queue (${broker.queues.get(QUEUE)?.messageCount ?? 0} ready) when the run ended at ${seconds(sim.now)}: no agent with room in its prefetch took it`;
  return `${ticketName(n)} was never handled: ${story.length ? `${story.join(", ")}; ` : ""}${end}.`;
}
