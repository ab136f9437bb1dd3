/** The part of a stream that progress output needs; `process.stderr` fits. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): boolean;
}

/** A counter on one terminal line, for commands that work through many items. */
export interface Progress {
  /** Records that `done` items (of `total`, when known) are finished. */
  update(done: number, total?: number): void;
  /** Erases the progress line. */
  finish(): void;
}

/** Below this many items a command finishes too fast for progress to help. */
export const PROGRESS_MIN_ITEMS = 20;
// Redraws at most this often, so that a fast loop does not flood the terminal.
const REDRAW_INTERVAL_MS = 100;

const SILENT: Progress = { update: () => undefined, finish: () => undefined };

/**
 * Creates a progress line such as `getall: 120/500` on `stream`, redrawn in place. It is
 * silent unless `stream` is a terminal, so pipes, files and logs never receive it, and it
 * stays hidden until at least {@link PROGRESS_MIN_ITEMS} items are involved.
 */
export function createProgress(stream: ProgressStream, label: string): Progress {
  if (stream.isTTY !== true) {
    return SILENT;
  }

  let visible = false;
  let lastDraw = 0;
  return {
    update(done, total) {
      if ((total ?? done) < PROGRESS_MIN_ITEMS) {
        return;
      }
      const now = Date.now();
      if (done !== total && now - lastDraw < REDRAW_INTERVAL_MS) {
        return;
      }
      lastDraw = now;
      visible = true;
      stream.write(`\r\x1b[K${label}: ${done}${total === undefined ? '' : `/${total}`}`);
    },
    finish() {
      if (visible) {
        stream.write('\r\x1b[K');
        visible = false;
      }
    },
  };
}
