import { describe, expect, it } from 'vitest';
import { LauncherPathError, launcherScripts } from '../../../devnet/runtime/job-launchers.js';

const targets = {
  provers: {
    range: '/repo/dist/job-bundles/h/range.mjs',
    aggregate: '/repo/dist/job-bundles/h/aggregate.mjs',
  },
  zkvmProver: '/repo/dist/job-bundles/h/mock-zkvm-prover.mjs',
};

describe('job launchers', () => {
  it('starts the mock provers as they are and the binary ones with the mock zkVM prover as ZKVM_PROVER_COMMAND', () => {
    // Act
    const scripts = launcherScripts(targets, '/usr/bin/node');

    // Assess
    expect(scripts['mock-range-prover']).toBe(
      "#!/bin/sh\nexec '/usr/bin/node' '/repo/dist/job-bundles/h/range.mjs' \"$@\"\n",
    );
    expect(scripts['binary-aggregate-prover']).toBe(
      [
        '#!/bin/sh',
        "export ZKVM_BACKEND='binary'",
        "export ZKVM_PROVER_COMMAND='/usr/bin/node /repo/dist/job-bundles/h/mock-zkvm-prover.mjs'",
        "exec '/usr/bin/node' '/repo/dist/job-bundles/h/aggregate.mjs' \"$@\"",
        '',
      ].join('\n'),
    );
  });

  it('quotes a bundle path holding a single quote as one sh word', () => {
    // Act
    const scripts = launcherScripts(
      { ...targets, provers: { ...targets.provers, range: "/o'brien/range.mjs" } },
      '/usr/bin/node',
    );

    // Assess
    expect(scripts['mock-range-prover']).toContain(`'/o'\\''brien/range.mjs' "$@"`);
  });

  it.each([
    {
      what: 'the mock-zkvm-prover bundle',
      node: '/usr/bin/node',
      zkvmProver: '/my repo/mock-zkvm-prover.mjs',
      path: '/my repo/mock-zkvm-prover.mjs',
    },
    {
      what: 'the Node executable',
      node: '/opt/node 22/bin/node',
      zkvmProver: targets.zkvmProver,
      path: '/opt/node 22/bin/node',
    },
  ])('refuses $what under a path with whitespace, naming the path', ({ what, node, zkvmProver, path }) => {
    // Act
    const refused = () => launcherScripts({ ...targets, zkvmProver }, node);

    // Assess
    expect(refused).toThrow(LauncherPathError);
    expect(refused).toThrow(`${what} lies at "${path}", a path with whitespace`);
  });
});
