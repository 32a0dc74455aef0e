// librdkafka's mock Kafka cluster, started through Debian's kcat for the tests in test/real/:
// `kcat -b dummy:9092 -X test.mock.num.brokers=3 -C -t <topic> -d mock` prints
// `bootstrap.servers=127.0.0.1:…` and serves the Kafka protocol on 127.0.0.1 while it runs.
// The process is killed on stop(), and by a watchdog if this process dies first.
import {spawn, execFileSync, type ChildProcess} from "node:child_process";

export interface MockCluster {
  /** host:port of the first mock broker. */
  bootstrap: string;
  stop(): void;
}

export function kcatPath(): string | null {
  try {
    return execFileSync("sh", ["-c", "command -v kcat"], {encoding: "utf8"}).trim() || null;
  } catch {
    return null;
  }
}

export async function startMockCluster({brokers = 3, timeoutMs = 20_000}: {brokers?: number; timeoutMs?: number} = {}): Promise<MockCluster> {
  const kcat = kcatPath();
  if (!kcat) throw new Error("kcat is not installed (npm run setup-machine installs it)");
  const child: ChildProcess = spawn(kcat, ["-b", "dummy:9092", "-X", `test.mock.num.brokers=${brokers}`, "-C", "-t", "workbook-mock-probe", "-d", "mock"], {stdio: ["ignore", "ignore", "pipe"]});
  // If vitest dies without running stop(), the watchdog ends kcat with it.
  const watchdog = spawn("sh", ["-c", `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; kill ${child.pid} 2>/dev/null`], {detached: true, stdio: "ignore"});
  watchdog.unref();
  const stop = () => {
    child.kill();
    watchdog.kill();
  };
  const bootstrap = await new Promise<string>((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`kcat printed no bootstrap.servers within ${timeoutMs} ms:\n${output.slice(-2000)}`)), timeoutMs);
    child.stderr!.on("data", (chunk: Buffer) => {
      output += chunk.toString("latin1");
      const match = /bootstrap\.servers=(127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once("exit", (code) => reject(new Error(`kcat exited (${code}) before the mock cluster was up:\n${output.slice(-2000)}`)));
  }).catch((error) => {
    stop();
    throw error;
  });
  return {bootstrap, stop};
}
