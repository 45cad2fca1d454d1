import type { ProgramPlugins } from '../orchestrator/setup/program-plugin.js';
import { aggregatePlugin } from './aggregate-plugin.js';
import { rangePlugin } from './range-plugin.js';

/**
 * The programs that ship with the repo, for the composition root.
 * @example const programs = programPlugins({ rollupConfigHash: '0x…' });
 */
export function programPlugins(context: { readonly rollupConfigHash: string }): ProgramPlugins {
  return { range: rangePlugin(context), aggregate: aggregatePlugin };
}
