#!/usr/bin/env -S node --import tsx
/**
 * Entry point of the operator CLI: `npm run ops -- <command>` or `zk-rollup-ops <command>`
 * (`--help` lists the commands). Ctrl-C (or SIGTERM) ends `--watch` and `dashboard`.
 */
import { runOpsCli } from './run-ops-cli.js';

const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
// `npm start` stops its dashboard child with SIGTERM.
process.once('SIGTERM', () => controller.abort());
const code = await runOpsCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  signal: controller.signal,
});
process.exit(code);
