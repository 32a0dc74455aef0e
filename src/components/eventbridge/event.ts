// The envelope every event on a bus has, as EventBridge delivers it to targets (and as the
// archive keeps it): its own module, so the bus and the archive both use it without importing each other.
export interface EventBridgeEvent {
  version: "0";
  id: string;
  "detail-type": string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
  /** Present on replayed events (the replay's name). */
  "replay-name"?: string;
}
