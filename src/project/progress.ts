// Progress is an event stream; the CLI chooses how to show it.

export interface ProgressEvent {
  /** `Network`, `Volume`, `Container`; `Image` and `Service` for pull and push. */
  object: 'Network' | 'Volume' | 'Container' | 'Image' | 'Service';
  name: string;
  /** `Creating`, `Created`, `Starting`, `Started`, `Waiting`, `Healthy`, `Stopping`, `Removed`, `Recreate`, `Running`, … */
  status: string;
  /** Set when the step failed or finished with something to say. */
  detail?: string;
  done: boolean;
}

export type ProgressSink = (e: ProgressEvent) => void;
