import { PipelineError } from '../../errors.js';

/**
 * A join group's member cannot be read (its message or result blob missing, a blob not JSON): an
 * infrastructure fault, never a verdict on the prover. `reason` is the stored-reason form
 * (`join-member-unreadable: …`).
 */
export class JoinMemberUnreadableError extends PipelineError {
  override readonly name: string = 'JoinMemberUnreadableError';
  readonly reason: string;

  constructor(groupId: string, cause: PipelineError) {
    const reason = `join-member-unreadable: ${cause.message}`;
    super(
      `join group ${groupId}: ${reason}; the group stays collected and every collector run reads it again (restore the blob or fix the blob store; this is not a prover disagreement)`,
      { cause },
    );
    this.reason = reason;
  }
}
