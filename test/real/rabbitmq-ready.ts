// Waits until the RabbitMQ that test/setup/rabbitmq.ts started (without waiting) accepts AMQP
// connections. For any test file under test/real/ that talks to the real broker.
import * as amqplib from "amqplib";

export async function waitForRabbitMQ(url: string, timeoutMs = 90_000): Promise<void> {
  for (let waited = 0; ; waited += 100) {
    try {
      await (await amqplib.connect(url)).close();
      return;
    } catch (error) {
      if (waited > timeoutMs) throw new Error(`RabbitMQ at ${url} did not come up: ${(error as Error).message}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
