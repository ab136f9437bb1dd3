/** The part of a stream that progress output needs; `process.stderr` fits. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): boolean;
}

/** A counter on one terminal line, for commands that work through many items. */
export interface Progress {
  /** Records that `done` items (of `total`, when known) are finished. */
  update(done: number, total?: number): void;
  /** Erases the progress line until the next update, so that other output starts at the start of the line. */
  clear(): void;
  /** Erases the progress line. */
  finish(): void;
}

/** Below this many items a command finishes too fast for progress to help. */
export const PROGRESS_MIN_ITEMS = 20;
// Redraws at most this often, so that a fast loop does not flood the terminal.
const REDRAW_INTERVAL_MS = 100;

const SILENT: Progress = { update: () => undefined, clear: () => undefined, finish: () => undefined };

/**
 * Creates a progress line such as `getall: 120/500` on `stream`, redrawn in place. It is
 * silent unless `stream` is a terminal, so pipes, files and logs never receive it, and it
 * stays hidden until at least {@link PROGRESS_MIN_ITEMS} items are involved. Output to the
 * same terminal must call `clear()` first, or it would continue the progress line.
 */
export function createProgress(stream: ProgressStream, label: string): Progress {
  if (stream.isTTY !== true) {
    return SILENT;
  }

  let visible = false;
  let finished = false;
  let lastDraw = 0;
  const erase = (): void => {
    if (visible) {
      stream.write('\r\x1b[K');
      visible = false;
    }
  };
  return {
    update(done, total) {
      if (finished || (total ?? done) < PROGRESS_MIN_ITEMS) {
        return;
      }
      // A visible line is redrawn at most every REDRAW_INTERVAL_MS, and an erased one at once.
      const now = Date.now();
      if (visible && done !== total && now - lastDraw < REDRAW_INTERVAL_MS) {
        return;
      }
      lastDraw = now;
      visible = true;
      stream.write(`\r\x1b[K${label}: ${done}${total === undefined ? '' : `/${total}`}`);
    },
    clear: erase,
    finish() {
      erase();
      finished = true;
    },
  };
}
