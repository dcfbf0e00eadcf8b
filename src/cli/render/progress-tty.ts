// Progress on a terminal: one listr2 row per network, volume, image and
// container (`✔ Container p-web-1  Started`), redrawn in place as events
// arrive. Rows are not known in advance, so each is a listr2 task that stays
// open until its resource reports a final state.

import { DefaultRenderer, Listr, ListrLogger, ProcessOutput, type ListrTaskWrapper } from 'listr2';
import type { ProgressEvent } from '../../project/index.js';
import type { ProgressView } from './progress.js';

// The caller has decided the stream is a terminal (it may be stderr while stdout is piped).
class TerminalRenderer extends DefaultRenderer {
  static override nonTTY = true;
}

interface Row {
  title: string;
  invoked: boolean;
  task?: { title: string };
  finish: (failure?: Error) => void;
  settled: boolean;
}

// listr2 runs the tasks present when run() is called; a row that appears later
// is run through the list's own task runner, which its public API does not expose.
interface ListInternals {
  tasks: unknown[];
  runTask(task: unknown): Promise<void>;
}

export function ttyProgress(stream: NodeJS.WritableStream): ProgressView {
  const rows = new Map<string, Row>();
  // listr2 holds back other writes to the stream while it draws, and prints them after its last frame.
  const output = new ProcessOutput(stream as NodeJS.WriteStream, stream as NodeJS.WriteStream);
  const list = new Listr([], {
    concurrent: true,
    exitOnError: false,
    registerSignalListeners: false,
    renderer: TerminalRenderer,
    rendererOptions: { logger: new ListrLogger({ processOutput: output }), collapseErrors: false },
  });
  const internals = list as unknown as ListInternals;
  // listr2 ends its drawing when the tasks it started with are done; this
  // untitled (so undrawn) task keeps it drawing until the view is ended.
  let release!: () => void;
  const open = new Promise<void>((resolve) => (release = resolve));
  list.add({ task: () => open });
  const late: Promise<void>[] = [];
  let running: Promise<unknown> | undefined;
  let mapped = false;
  let ended = false;

  const addRow = (key: string, title: string): Row => {
    let finish!: (failure?: Error) => void;
    const done = new Promise<void>((resolve, reject) => (finish = (failure) => (failure ? reject(failure) : resolve())));
    done.catch(() => {});
    const row: Row = { title, invoked: false, finish, settled: false };
    rows.set(key, row);
    list.add({
      title,
      task: async (_ctx: unknown, task: ListrTaskWrapper<unknown, typeof TerminalRenderer, typeof TerminalRenderer>) => {
        if (row.invoked) return done;
        row.invoked = true;
        row.task = task;
        task.title = row.title;
        if (!mapped) {
          mapped = true;
          // Rows added between run()'s snapshot of the list and now were not in it.
          setImmediate(() => {
            for (const r of rows.values()) if (!r.invoked) runLate(r);
          });
        }
        return done;
      },
    });
    (row as Row & { handle: unknown }).handle = internals.tasks[internals.tasks.length - 1];
    if (!running) running = list.run().catch(() => {});
    else if (mapped) runLate(row);
    return row;
  };
  const runLate = (row: Row) => void late.push(internals.runTask((row as Row & { handle: unknown }).handle).catch(() => {}));

  const sink = (e: ProgressEvent) => {
    if (ended) return;
    const key = `${e.object} ${e.name}`;
    const title = `${key}  ${e.status}${e.detail ? ` (${e.detail})` : ''}`;
    const row = rows.get(key) ?? addRow(key, title);
    row.title = title;
    if (row.task) row.task.title = title;
    if (e.done && !row.settled) {
      row.settled = true;
      row.finish(e.status === 'Error' ? new Error(title) : undefined);
    } else if (!e.done && row.settled) {
      // A resource that goes on after a final state (started, then stopped) gets a fresh row.
      rows.delete(key);
      sink(e);
    }
  };

  return {
    sink,
    async end() {
      if (ended) return;
      ended = true;
      for (const r of rows.values()) if (!r.settled) ((r.settled = true), r.finish());
      await new Promise((r) => setImmediate(r));
      await Promise.all(late);
      release();
      await running;
    },
  };
}
