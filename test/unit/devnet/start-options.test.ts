import { describe, expect, it } from 'vitest';
import { formatProgress, type PipelineProgress } from '../../../devnet/runtime/pipeline-progress.js';
import { parseStartOptions, START_HELP } from '../../../devnet/runtime/start-options.js';

describe('parseStartOptions', () => {
  it('uses the defaults when no flag is given', () => {
    // Act
    const options = parseStartOptions([]);
    // Assess
    expect(options).toEqual({
      help: false,
      proposals: undefined,
      l1Port: undefined,
      l2Port: undefined,
      blockTime: undefined,
      l1BlockTime: undefined,
      fresh: false,
      configPath: 'config/devnet.json',
      stateDirectory: '.devnet',
      chainsOnly: false,
      attachChains: false,
      verbose: false,
      progressEverySeconds: 3,
      faultDuplicateDelivery: false,
      faultFailJobs: [],
      faultL1ReorgEverySeconds: undefined,
      faultL2ReorgEverySeconds: undefined,
      faultL1Reorgs: undefined,
      faultL2Reorgs: undefined,
      faultReorgDepth: 3,
      dashboardPort: 8686,
    });
  });

  it('parses every flag', () => {
    // Act
    const options = parseStartOptions([
      '--proposals',
      '2',
      '--l1-port',
      '0',
      '--l2-port',
      '9999',
      '--block-time',
      '1',
      '--l1-block-time',
      '2',
      '--fresh',
      '--config',
      'config/other.json',
      '--state-dir',
      '/tmp/devnet',
      '--attach-chains',
      '--verbose',
      '--progress-every',
      '0',
      '--fault-duplicate-delivery',
      '--fault-fail-job-once',
      'range-*',
      '--fault-fail-job-once',
      'aggregate-1',
      '--fault-fail-job-times',
      'aggregate-*:2',
      '--fault-l1-reorg-every',
      '20',
      '--fault-l2-reorg-every',
      '30',
      '--fault-l1-reorgs',
      '3',
      '--fault-l2-reorgs',
      '2',
      '--fault-reorg-depth',
      '4',
      '--dashboard-port',
      '0',
    ]);
    // Assess
    expect(options).toEqual({
      help: false,
      proposals: 2,
      l1Port: 0,
      l2Port: 9999,
      blockTime: 1,
      l1BlockTime: 2,
      fresh: true,
      configPath: 'config/other.json',
      stateDirectory: '/tmp/devnet',
      chainsOnly: false,
      attachChains: true,
      verbose: true,
      progressEverySeconds: 0,
      faultDuplicateDelivery: true,
      faultFailJobs: [
        { pattern: 'range-*', times: 1 },
        { pattern: 'aggregate-1', times: 1 },
        { pattern: 'aggregate-*', times: 2 },
      ],
      faultL1ReorgEverySeconds: 20,
      faultL2ReorgEverySeconds: 30,
      faultL1Reorgs: 3,
      faultL2Reorgs: 2,
      faultReorgDepth: 4,
      dashboardPort: 0,
    });
  });

  it('refuses --chains-only together with --attach-chains', () => {
    expect(() => parseStartOptions(['--chains-only', '--attach-chains'])).toThrow(
      '--chains-only and --attach-chains exclude each other',
    );
  });

  it('turns the dashboard off with --no-dashboard, and refuses it with a port or a port out of range', () => {
    expect(parseStartOptions(['--no-dashboard']).dashboardPort).toBeUndefined();
    expect(() => parseStartOptions(['--no-dashboard', '--dashboard-port', '9000'])).toThrow(
      '--dashboard-port and --no-dashboard exclude each other',
    );
    expect(() => parseStartOptions(['--dashboard-port', '70000'])).toThrow(
      '--dashboard-port expects a TCP port 0-65535, got "70000"',
    );
    expect(START_HELP).toContain('--no-dashboard');
  });

  it('refuses a value below the flag minimum, naming the flag', () => {
    expect(() => parseStartOptions(['--proposals', '0'])).toThrow('--proposals');
    expect(() => parseStartOptions(['--block-time', 'x'])).toThrow('--block-time');
    expect(() => parseStartOptions(['--fault-reorg-depth', '0'])).toThrow(
      '--fault-reorg-depth expects an integer ≥ 1, got "0"',
    );
    expect(() => parseStartOptions(['--fault-l2-reorg-every', '0'])).toThrow('--fault-l2-reorg-every');
  });

  it('refuses a --fault-fail-job-times without a name, a count or with a count of 0', () => {
    for (const value of ['aggregate-*', ':2', 'aggregate-*:0', 'aggregate-*:x']) {
      expect(() => parseStartOptions(['--fault-fail-job-times', value])).toThrow(
        `--fault-fail-job-times expects <job name or prefix*>:<runs ≥ 1>, e.g. "aggregate-*:2", got "${value}"`,
      );
    }
    expect(START_HELP).toContain('--fault-fail-job-times <name>:<n>');
  });

  it('refuses an unknown flag', () => {
    expect(() => parseStartOptions(['--no-such-flag'])).toThrow();
  });

  it('recognises --help and -h', () => {
    // Act
    const long = parseStartOptions(['--help']);
    const short = parseStartOptions(['-h']);
    // Assess
    expect(long.help).toBe(true);
    expect(short.help).toBe(true);
    expect(START_HELP).toContain('--chains-only');
    expect(START_HELP).toContain('--attach-chains');
  });
});

describe('formatProgress', () => {
  const progress: PipelineProgress = {
    l2Head: 42n,
    enqueuedHead: 40n,
    blocksPending: 3,
    groups: { range: { running: 1, succeeded: 7 }, aggregate: {} },
    proposals: 2n,
    proposedHead: 30n,
  };

  it('shows the L2 head, the enqueued head, each stage, the proposals and the lag', () => {
    // Act
    const line = formatProgress(progress);
    // Assess
    expect(line).toBe(
      'L2 head 42 | enqueued 40 (3 pending) | range: 1 running, 7 succeeded | aggregate: none | ' +
        'proposed 30 (2 proposals) | lag 12 blocks',
    );
  });

  it('ends with every wait that needs a person, with its stored reason', () => {
    // Act
    const line = formatProgress({
      ...progress,
      waits: ['PAUSED watcher (by watcher): l2-finalized-block-changed: the L2 node is broken'],
    });
    // Assess
    expect(line).toMatch(
      / \| lag 12 blocks \| PAUSED watcher \(by watcher\): l2-finalized-block-changed: the L2 node is broken$/,
    );
  });

  it('names the backend of a stage not on the in-process mock beside the stage', () => {
    // Act
    const line = formatProgress({
      ...progress,
      groups: { 'range-a': { succeeded: 4 }, 'range-b': { succeeded: 3 } },
      backends: { 'range-b': 'binary' },
    });
    // Assess
    expect(line).toContain('| range-a: 4 succeeded | range-b (binary): 3 succeeded |');
  });

  it('shows "-" before the watcher has enqueued anything', () => {
    // Act
    const line = formatProgress({ ...progress, enqueuedHead: undefined, blocksPending: 0 });
    // Assess
    expect(line).toContain('enqueued - (0 pending)');
    expect(line).toContain('L2 head 42');
    expect(line).toContain('lag 12 blocks');
  });
});
