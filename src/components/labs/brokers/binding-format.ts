// The routing builder's exchange types and the format of a binding line for each: what the page
// shows beside its controls, in a module of its own so the page need not load the broker model.
import type {ExchangeType} from "../../rabbitmq/broker.js";

export const EXCHANGE_TYPES: readonly ExchangeType[] = ["direct", "topic", "fanout", "headers"];

/** What one line of the bindings looks like, per exchange type. */
export const BINDING_FORMAT: Record<ExchangeType, string> = {
  direct: "`queue binding-key`, such as `eu-orders order.eu`",
  topic: "`queue binding-key`, such as `eu-orders order.eu.*`",
  fanout: "`queue` (a fanout exchange ignores any binding key)",
  headers: '`queue {JSON object of arguments}`, such as `eu-orders {"x-match": "all", "region": "eu"}`'
};
