import { describe, expect, it } from 'vitest';
import { createBinaryBackend } from '../../../batch-jobs/zkvm/backends/binary-backend.js';
import { ProverBackendError } from '../../../batch-jobs/zkvm/errors.js';
import { defineProgram } from '../../../batch-jobs/zkvm/program.js';

const program = defineProgram<{ n: number }>('echo', '1', () => '0x');

/** A tiny external prover written inline: reads the request, answers per `script`. */
function inlineProver(script: string): string[] {
  return [
    process.execPath,
    '-e',
    `const fs=require('node:fs');const a=process.argv;const req=JSON.parse(fs.readFileSync(a[a.indexOf('--input-path')+1],'utf8'));const out=a[a.indexOf('--output-path')+1];${script}`,
    '--',
  ];
}

describe('binary backend', () => {
  it('passes program, input and proof mode, and reads the artifact back', async () => {
    // Prepare
    const backend = createBinaryBackend({
      name: 'sp1',
      command: inlineProver(
        `fs.writeFileSync(out, JSON.stringify({proof:'0xab',publicValues:'0x'+String(req.input.n).padStart(64,'0'),vkey:'0x'+'11'.repeat(32),mode:req.proofMode,cycles:req.program.id.length}))`,
      ),
    });

    // Act
    const artifact = await backend.prove(program, { n: 7 }, 'plonk');

    // Assess
    expect(backend.name).toBe('sp1');
    expect(artifact).toEqual({
      proof: '0xab',
      publicValues: `0x${'7'.padStart(64, '0')}`,
      vkey: `0x${'11'.repeat(32)}`,
      mode: 'plonk',
      cycles: 4,
    });
  });

  it('fails with the stderr tail when the prover exits non-zero', async () => {
    // Prepare
    const backend = createBinaryBackend({
      command: inlineProver(`console.error('out of GPU memory');process.exit(1)`),
    });

    // Act
    const error = await backend.execute(program, { n: 1 }).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(ProverBackendError);
    expect((error as ProverBackendError).message).toContain('(execute) exited with 1');
    expect((error as ProverBackendError).details).toBe('out of GPU memory');
  });

  it('names the field when the response does not match the contract', async () => {
    // Prepare
    const backend = createBinaryBackend({
      command: inlineProver(`fs.writeFileSync(out, JSON.stringify({vkey:'0x12'}))`),
    });

    // Act
    const refused = backend.setup(program);

    // Assess
    await expect(refused).rejects.toThrow(
      '(setup) wrote an invalid response: vkey: a 32-byte 0x-prefixed hex string',
    );
  });

  it('reports a verification refusal with the prover reason', async () => {
    // Prepare
    const backend = createBinaryBackend({
      command: inlineProver(`fs.writeFileSync(out, JSON.stringify({valid:false,reason:'bad '+req.action}))`),
    });
    const artifact = {
      proof: '0x',
      publicValues: '0x',
      vkey: `0x${'11'.repeat(32)}`,
      mode: 'core',
      cycles: 0,
    } as const;

    // Act
    const refused = backend.verify(artifact, `0x${'11'.repeat(32)}`);

    // Assess
    await expect(refused).rejects.toThrow('proof does not verify: bad verify');
  });

  it('stops the whole prover process group on timeout and reports a timeout', async () => {
    // Prepare: the prover starts a grandchild that shares its stderr and outlives a plain kill.
    const grandchild = `setInterval(()=>{},1000)`;
    const backend = createBinaryBackend({
      command: inlineProver(
        `require('node:child_process').spawn(process.execPath,['-e',${JSON.stringify(grandchild)}],{stdio:['ignore','ignore','inherit']});console.error('proving…');setInterval(()=>{},1000)`,
      ),
      timeoutMs: 1000,
      killGraceMs: 100,
    });

    // Act
    const error = await backend.execute(program, { n: 1 }).catch((e: unknown) => e);

    // Assess: had the grandchild survived, its open stderr would keep this call pending.
    expect(error).toBeInstanceOf(ProverBackendError);
    expect((error as ProverBackendError).message).toMatch(
      /\(execute\) timed out after 1000 ms; its process group was stopped$/,
    );
    expect((error as ProverBackendError).message).not.toContain('SIGKILL');
  });

  it('names the executable when the prover cannot be started', async () => {
    // Prepare
    const backend = createBinaryBackend({ command: ['/nonexistent/sp1-prover'] });

    // Act
    const refused = backend.setup(program);

    // Assess
    await expect(refused).rejects.toThrow('cannot start prover "/nonexistent/sp1-prover"');
  });
});
