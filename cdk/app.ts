import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PipelineError } from '../lambdas/core/errors.js';
import { createPipelineApp } from './create-pipeline-app.js';

/**
 * `npx cdk synth|deploy [-c config=config/aws-example.json] [-c account=…] [-c region=…] [-c nag=false]`
 * (cdk.json runs this file with tsx).
 */
const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
try {
  const { app } = createPipelineApp({ projectRoot });
  app.synth();
} catch (error) {
  if (!(error instanceof PipelineError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
