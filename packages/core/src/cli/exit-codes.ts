/** The CLI's exit codes (see the README's CLI reference). */
export const EXIT = {
  ok: 0,
  taskFailed: 1,
  invalid: 2,
  sighup: 129,
  sigint: 130,
  sigterm: 143,
} as const;
