import { describe, expect, it } from 'vitest';
import { newGroup } from '../../../lambdas/core/orchestrator/group/group-item.js';
import type { Group } from '../../../lambdas/core/orchestrator/group/group-state.js';
import { parseOpsArguments } from '../../../ops/cli-arguments.js';
import { chainedHead } from '../../../ops/commands/status/stage-progress.js';
import { formatTable } from '../../../ops/output/format-table.js';

const succeeded = (start: bigint, end: bigint) =>
  ({ ...newGroup('range', start, end, []), status: 'succeeded' }) as unknown as Group;

describe('formatTable', () => {
  it('pads every column but the last to its widest cell', () => {
    // Act
    const table = formatTable(
      ['id', 'status', 'note'],
      [
        ['range/0-3', 'running', ''],
        ['r/1', 'failed', 'bad block'],
      ],
    );

    // Assess
    expect(table).toBe('id         status   note\nrange/0-3  running\nr/1        failed   bad block');
  });

  it('says (none) under the header of an empty table', () => {
    expect(formatTable(['tx', 'nonce'], [])).toBe('tx  nonce\n(none)');
  });
});

describe('chainedHead', () => {
  it.each([
    { name: 'no group', groups: [], head: undefined },
    { name: 'a chain from the origin', groups: [succeeded(10n, 13n), succeeded(13n, 16n)], head: 16n },
    { name: 'a gap stops the chain', groups: [succeeded(10n, 13n), succeeded(16n, 19n)], head: 13n },
    { name: 'nothing at the origin', groups: [succeeded(13n, 16n)], head: undefined },
  ])('$name', ({ groups, head }) => {
    expect(chainedHead(groups, 10n)).toBe(head);
  });
});

describe('parseOpsArguments', () => {
  it('reads the command words and the options, with the local run as the default target', () => {
    // Act
    const args = parseOpsArguments(['group', 'abandon', 'range/0-3', '--reason', 'bad block', '--json']);

    // Assess
    expect(args).toMatchObject({
      words: ['group', 'abandon', 'range/0-3'],
      reason: 'bad block',
      json: true,
      stateDirectory: '.devnet',
      limit: 100,
    });
  });

  it('names a bad number and an unknown option', () => {
    expect(() => parseOpsArguments(['status', '--watch', '--every', '0'])).toThrow(
      '--every: expected a whole number ≥ 1 (got "0")',
    );
    expect(() => parseOpsArguments(['status', '--stat'])).toThrow(/Unknown option '--stat'.*; see --help$/);
  });
});
