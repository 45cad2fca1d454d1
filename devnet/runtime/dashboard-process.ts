import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/** The dashboard child of `npm start`. */
export interface DashboardProcess {
  /**
   * `http://127.0.0.1:<port>/` once the child prints it; rejects with the child's output when it
   * exits before (e.g. the port is taken).
   */
  readonly url: Promise<string>;
  /** Stops the child (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
}

const URL_LINE = /^dashboard: (http:\/\/\S+)$/m;

/**
 * Starts `ops/cli.ts dashboard` as a child process on the run's state folder (the devnet does not
 * import the operator CLI: the CLI imports the devnet). Call it after the manifest holds the
 * stand-ins' endpoints: the dashboard reads them from there. Returns at once: the page is a view
 * on the run, so the run does not wait for it (nor stop when it fails).
 */
export function startDashboardProcess(options: {
  readonly repoRoot: string;
  readonly stateDirectory: string;
  readonly port: number;
}): DashboardProcess {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(options.repoRoot, 'ops', 'cli.ts'),
      'dashboard',
      '--state-dir',
      options.stateDirectory,
      '--port',
      String(options.port),
      '--every',
      '2',
    ],
    { cwd: options.repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  let output = '';
  const url = new Promise<string>((found, failed) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      const match = URL_LINE.exec(output);
      if (match?.[1] !== undefined) found(match[1]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(() => failed(new Error(`the dashboard exited before it listened:\n${output.trim()}`)));
  });
  // The caller may never look at the URL (a run stopped at once): no unhandled rejection then.
  url.catch(() => undefined);
  return {
    url,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
