// The RabbitMQ model: a broker on the simulation clock, an amqplib-shaped client for it, and
// the routing rules on their own (for tables and property tests).
export {createBroker, Broker, Queue, Exchange, EXCHANGE_TYPES, OVERFLOW_MODES, type BrokerStats, type Content, type Delivery, type MessageProperties} from "./broker.js";
export {connect, Connection, Channel, ConfirmChannel, type Message, type ConsumeMessage, type GetMessage, type Options, type Replies} from "./amqplib.js";
export {AmqpError, IllegalOperationError} from "./errors.js";
export {topicMatches, topicWords, headersMatch, TopicRouter, X_MATCH_MODES} from "./routing.js";
