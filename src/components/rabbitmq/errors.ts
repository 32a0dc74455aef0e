// Errors in RabbitMQ's words. A refused AMQP method closes the channel (or, for a few hard errors,
// the connection) with a reply code and a text such as "NOT_FOUND - no queue 'q' in vhost '/'";
// amqplib turns that into an Error whose message quotes both. The broker state is not changed.

const REPLY_NAMES: Record<number, string> = {
  312: "NO_ROUTE",
  403: "ACCESS_REFUSED",
  404: "NOT_FOUND",
  405: "RESOURCE_LOCKED",
  406: "PRECONDITION_FAILED",
  503: "COMMAND_INVALID",
  504: "CHANNEL_ERROR",
  530: "NOT_ALLOWED"
};

/** Reply codes that close the whole connection (AMQP 0-9-1 "hard errors"), not just the channel. */
const CONNECTION_ERRORS = new Set([503, 504, 530]);

export class AmqpError extends Error {
  override name = "AmqpError";
  /** The AMQP reply code: 404, 406, ... */
  readonly code: number;
  /** RabbitMQ's reply text, e.g. "NOT_FOUND - no queue 'q' in vhost '/'". */
  readonly replyText: string;
  /** The AMQP method that was refused (QueueDeclare, QueueBind, ...), if any. */
  readonly method: string | undefined;
  /** True when the error closes the connection, false when only the channel. */
  readonly connectionError: boolean;

  constructor(code: number, text: string, method?: string) {
    const name = REPLY_NAMES[code] ?? String(code);
    const replyText = `${name} - ${text}`;
    const quoted = `${code} (${name.replace(/_/g, "-")}) with message "${replyText}"`;
    const connectionError = CONNECTION_ERRORS.has(code);
    // The same wording as amqplib, so an error seen in a cell reads like one from a real broker.
    super(connectionError ? `Connection closed: ${quoted}` : method ? `Operation failed: ${method}; ${quoted}` : `Channel closed by server: ${quoted}`);
    this.code = code;
    this.replyText = replyText;
    this.method = method;
    this.connectionError = connectionError;
  }
}

/** Using a closed channel or connection: amqplib's IllegalOperationError. */
export class IllegalOperationError extends Error {
  override name = "IllegalOperationError";
}
