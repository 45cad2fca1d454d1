/**
 * Deliberately broken prover for the conformance test: whatever it is given, it writes `{}` and exits 0,
 * so every invalid-input check and the output schema check must fail.
 */
import { writeFile } from 'node:fs/promises';

const args = process.argv.slice(2);
const outputIndex = args.indexOf('--output-path');
if (outputIndex >= 0) await writeFile(args[outputIndex + 1] as string, '{}');
process.exitCode = 0;
