// A tiny prover honouring the executor contract, for entrypoint tests. FIXTURE_PROVER_MODE:
// `succeed` writes a valid range result, `fail` exits 3 after some stderr, `rpc-outage` exits 75 (the
// infrastructure code: an RPC outage), `hang` records its pid in FIXTURE_PROVER_PID_FILE and waits to be stopped.
import { readFileSync, writeFileSync } from 'node:fs';

const args = process.argv.slice(2);
const inputPath = args[args.indexOf('--input-path') + 1];
const outputPath = args[args.indexOf('--output-path') + 1];
const request = JSON.parse(readFileSync(inputPath, 'utf8'));
const zero = `0x${'00'.repeat(32)}`;
const mode = process.env.FIXTURE_PROVER_MODE ?? 'succeed';

process.stderr.write(`fixture prover: ${mode} ${request.groupId} l2=${process.env.L2_RPC_URLS ?? ''}\n`);
if (mode === 'fail') {
  process.stderr.write('fixture prover: derivation failed at block 7\n');
  process.exit(3);
}
if (mode === 'rpc-outage') {
  process.stderr.write('fixture prover: L2 RPC answered 429 Too Many Requests\n');
  process.exit(75);
}
if (mode === 'hang') {
  writeFileSync(process.env.FIXTURE_PROVER_PID_FILE, String(process.pid));
  setInterval(() => process.stderr.write('fixture prover: still proving\n'), 50);
} else {
  const result = {
    version: 1,
    program: 'range',
    start: request.start,
    end: request.end,
    bootInfo: {
      l1Head: zero,
      l2PreRoot: zero,
      l2PostRoot: zero,
      l2BlockNumber: request.end,
      rollupConfigHash: request.rollupConfigHash,
    },
    publicValues: '0x',
    proof: '0x',
    vkey: zero,
    backend: 'binary',
    proofMode: request.proofMode,
    cycles: 0,
  };
  writeFileSync(outputPath, JSON.stringify(result));
}
