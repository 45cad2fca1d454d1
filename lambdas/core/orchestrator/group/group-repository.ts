import { PipelineError } from '../../errors.js';
import type { ListOptions, StateStore } from '../../ports/state-store.js';
import { assertTransition, GROUP_TRANSITIONS, type GroupStatus } from '../../status.js';
import { groupItem, groupKind, parseGroup } from './group-item.js';
import type { Group, GroupIn, GroupMove } from './group-state.js';

/** Returned by an `update` step when another writer changed the group first: read again and decide again. */
export const CONFLICT = Symbol('group write conflict');
export type Conflict = typeof CONFLICT;

/**
 * The groups of the pipeline over the state store: every read parses the item once into its typed
 * state, every move is checked against the transition table and written conditionally on the
 * version read, so of two concurrent writers only one wins.
 */
export class GroupRepository {
  constructor(private readonly store: StateStore) {}

  async get(id: string): Promise<Group | undefined> {
    const item = await this.store.get(id);
    return item === undefined ? undefined : parseGroup(item);
  }

  /** The groups of `stage` in `status`, in start order. */
  async list<S extends GroupStatus>(stage: string, status: S, options?: ListOptions): Promise<GroupIn<S>[]> {
    const items = await this.store.list(groupKind(stage), status, options);
    return items.map((item) => parseGroup(item) as GroupIn<S>);
  }

  /** Creates a new group (version 1). Returns undefined, writing nothing, when the id exists. */
  async create<G extends GroupMove>(group: G): Promise<GroupIn<G['status']> | undefined> {
    const item = groupItem(group);
    if (!(await this.store.create(item))) return undefined;
    return { ...group, revision: { version: 1, updatedAt: '' } } as unknown as GroupIn<G['status']>;
  }

  /**
   * Writes `to` over `from` (the state read), checked against the transition table (a write in the
   * same status changes data only). Returns the stored state, or undefined when another writer
   * changed the group first.
   * @throws InvalidTransitionError when the table does not allow the move; PipelineError when `from`
   * was not read from the store (it has no revision to write against).
   */
  async move<G extends GroupMove>(from: Group, to: G): Promise<GroupIn<G['status']> | undefined> {
    if (from.status !== to.status)
      assertTransition(GROUP_TRANSITIONS, `group ${from.id}`, from.status, to.status);
    const version = from.revision?.version;
    if (version === undefined)
      throw new PipelineError(`group ${from.id}: move from a state that was never read from the store`);
    if (!(await this.store.replace(groupItem(to), version))) return undefined;
    return {
      ...to,
      revision: { version: version + 1, updatedAt: from.revision?.updatedAt ?? '' },
    } as unknown as GroupIn<G['status']>;
  }

  /**
   * The read → decide → write loop: reads the group, runs `step` on it, and reads again while the
   * step reports a conflict. Returns undefined when the group does not exist.
   */
  async update<T>(id: string, step: (group: Group) => Promise<T | Conflict>): Promise<T | undefined> {
    for (;;) {
      const group = await this.get(id);
      if (group === undefined) return undefined;
      const outcome = await step(group);
      if (outcome !== CONFLICT) return outcome;
    }
  }
}
