/** The CLI's exit codes (DESIGN.md "The CLI"): scripts depend on them. */
export const EXIT = {
  ok: 0,
  /** Some files failed; every other file was still processed. */
  someFailed: 1,
  /** Usage or configuration error. */
  usage: 2,
  /** Stopped by Ctrl+C; rerunning the same command resumes the job. */
  interrupted: 130,
} as const;

/** A usage or configuration problem: printed plainly, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
