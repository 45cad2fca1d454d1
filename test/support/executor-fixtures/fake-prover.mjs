#!/usr/bin/env node
// A stand-in executor binary honouring the JSON contract. FAKE_PROVER_MODE picks its behaviour:
// success | fan-out | exit | garbage | invalid | missing | sleep | noisy
import { readFileSync, writeFileSync } from 'node:fs';

const args = process.argv.slice(2);
const inputPath = args[args.indexOf('--input-path') + 1];
const outputPath = args[args.indexOf('--output-path') + 1];
const mode = process.env.FAKE_PROVER_MODE ?? 'success';
const request = JSON.parse(readFileSync(inputPath, 'utf8'));
const hash = (n) => `0x${BigInt(n).toString(16).padStart(64, '0')}`;

function result(start, end) {
  return {
    version: 1,
    program: 'range',
    start: String(start),
    end: String(end),
    bootInfo: {
      l1Head: hash(1),
      l2PreRoot: hash(start),
      l2PostRoot: hash(end),
      l2BlockNumber: String(end),
      rollupConfigHash: request.rollupConfigHash,
    },
    publicValues: '0x00',
    proof: '0x',
    vkey: hash(7),
    backend: 'binary',
    proofMode: request.proofMode,
    cycles: 1,
  };
}

process.stderr.write(`fake prover: mode ${mode} for ${request.start}-${request.end}\n`);
const start = Number(request.start);
const end = Number(request.end);
switch (mode) {
  case 'success':
    writeFileSync(outputPath, JSON.stringify(result(start, end)));
    break;
  case 'fan-out': {
    const mid = Math.floor((start + end) / 2);
    writeFileSync(outputPath, JSON.stringify([result(start, mid), result(mid, end)]));
    break;
  }
  case 'exit':
    process.stderr.write('panicked at range program: witness mismatch\n');
    process.exit(3);
    break;
  case 'garbage':
    writeFileSync(outputPath, 'this is not { json');
    break;
  case 'invalid':
    writeFileSync(outputPath, JSON.stringify({ ...result(start, end), vkey: 'nope' }));
    break;
  case 'missing':
    break;
  case 'noisy':
    for (let i = 0; i < 2000; i++) process.stderr.write(`line ${i} ${'x'.repeat(20)}\n`);
    writeFileSync(outputPath, JSON.stringify(result(start, end)));
    break;
  case 'sleep':
    process.on('SIGTERM', () => process.stderr.write('got SIGTERM, ignoring it\n'));
    setInterval(() => {}, 1000);
    break;
  default:
    process.stderr.write(`unknown mode ${mode}\n`);
    process.exit(2);
}
