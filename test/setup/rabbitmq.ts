// Global setup for tests against a real RabbitMQ: owned by the RabbitMQ model (issue 4).
export default async function setup(): Promise<void> {}
