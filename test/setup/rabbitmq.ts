// vitest globalSetup: a private RabbitMQ node for the differential tests in test/real/.
//
// - AMQP_URL set: that broker is used as is (nothing started or stopped).
// - Else, if Debian's rabbitmq-server is installed: a node of its own is started, detached,
//   listening on 127.0.0.1 only (AMQP, epmd and the Erlang distribution port), with its own
//   name, free ports and mnesia/log folders in a temp dir owned by the rabbitmq user. Setup does
//   not wait for it: the boot (2-7 s) overlaps other test files, and test/real/ waits for the
//   AMQP port. Teardown stops the node (rabbitmqctl stop), kills epmd if this run started it,
//   and removes the temp dir; if the node is still booting, the watchdog below does that. A detached watchdog does the same if vitest dies without a
//   teardown (killed by a timeout or a signal), so no node outlives its test run.
// - Else: tests see `rabbitmqSkip` (the reason) and skip; with CI=true they fail instead.
import {execFile, execFileSync, spawn} from "node:child_process";
import {chownSync, mkdtempSync, rmSync} from "node:fs";
import {createServer} from "node:net";
import {tmpdir} from "node:os";
import {join} from "node:path";
import type {TestProject} from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** The AMQP URL of a real RabbitMQ, or "" when there is none. */
    amqpUrl: string;
    /** Why there is no real RabbitMQ ("" when there is one). */
    rabbitmqSkip: string;
  }
}

const onPath = (command: string) => {
  try {
    execFileSync("sh", ["-c", `command -v ${command}`], {stdio: "ignore"});
    return true;
  } catch {
    return false;
  }
};

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const {port} = server.address() as {port: number};
      server.close(() => resolve(port));
    });
  });

const run = (command: string, args: string[], env: NodeJS.ProcessEnv) =>
  new Promise<string>((resolve, reject) =>
    execFile(command, args, {env, timeout: 90_000}, (error, stdout, stderr) => (error ? reject(new Error(`${command} ${args.join(" ")}: ${stderr || error.message}`)) : resolve(stdout)))
  );

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | void> {
  if (process.env.AMQP_URL) {
    project.provide("amqpUrl", process.env.AMQP_URL);
    project.provide("rabbitmqSkip", "");
    return;
  }
  if (!onPath("rabbitmq-server") || !onPath("rabbitmqctl")) {
    project.provide("amqpUrl", "");
    project.provide("rabbitmqSkip", "no local RabbitMQ: install rabbitmq-server (apt-get install rabbitmq-server) or set AMQP_URL");
    return;
  }

  const dir = mkdtempSync(join(tmpdir(), "vitest-rabbitmq-"));
  const [amqpPort, distPort] = [await freePort(), await freePort()];
  const node = `vitest-${process.pid}@localhost`;
  const env = {
    ...process.env,
    RABBITMQ_NODENAME: node,
    RABBITMQ_NODE_IP_ADDRESS: "127.0.0.1",
    RABBITMQ_NODE_PORT: String(amqpPort),
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_MNESIA_BASE: join(dir, "mnesia"),
    RABBITMQ_LOG_BASE: join(dir, "log"),
    ERL_EPMD_ADDRESS: "127.0.0.1",
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: "-kernel inet_dist_use_interface {127,0,0,1}"
  };
  let epmdWasRunning = true;
  try {
    execFileSync("epmd", ["-names"], {env, stdio: "ignore"});
  } catch {
    epmdWasRunning = false;
  }
  // The server drops to the rabbitmq user and silently dies if it cannot write its folders.
  try {
    const uid = Number(execFileSync("id", ["-u", "rabbitmq"]).toString());
    const gid = Number(execFileSync("id", ["-g", "rabbitmq"]).toString());
    chownSync(dir, uid, gid);
  } catch {
    // not root, or no rabbitmq user: the server then runs as the current user
  }

  const started = run("rabbitmq-server", ["-detached"], env);
  const watchdog = [
    `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done`,
    `[ -d '${dir}' ] || exit 0`, // the teardown already stopped the node
    `rabbitmqctl -n ${node} await_startup --timeout 60 >/dev/null 2>&1`,
    `rabbitmqctl -n ${node} stop >/dev/null 2>&1`,
    epmdWasRunning ? "" : "epmd -kill >/dev/null 2>&1",
    `rm -rf '${dir}'`
  ];
  spawn("sh", ["-c", watchdog.filter(Boolean).join("; ")], {env, detached: true, stdio: "ignore"}).unref();
  let isReady = false;
  const ready = started.then(() => run("rabbitmqctl", ["-n", node, "await_startup", "--timeout", "90"], env)).then(() => void (isReady = true));
  ready.catch(() => {}); // a failed start is reported by the tests that wait for the port
  project.provide("amqpUrl", `amqp://guest:guest@127.0.0.1:${amqpPort}`);
  project.provide("rabbitmqSkip", "");

  return async () => {
    // A run that finished before the node booted (it needed no broker) does not wait for it:
    // the watchdog stops it once vitest has exited.
    if (!isReady) return;
    try {
      await run("rabbitmqctl", ["-n", node, "stop"], env);
    } catch (error) {
      console.warn(`RabbitMQ test node ${node}: ${(error as Error).message}`);
    } finally {
      if (!epmdWasRunning) await run("epmd", ["-kill"], env).catch(() => {});
      rmSync(dir, {recursive: true, force: true});
    }
  };
}
