/** What every subcommand module under daemon/cli/ exports. */
export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Runs the subcommand with the arguments after its name; resolves to the exit status. */
export type CliMain = (args: string[], io: CliIo) => Promise<number>;

/** Exit statuses (design: 0 success, 1 runtime failure, 2 usage or configuration error). */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export class UsageError extends Error {}
