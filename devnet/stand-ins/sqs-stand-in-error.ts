/** A named SQS error: `code` is the JSON protocol `__type` shape name. */
export class SqsStandInError extends Error {
  constructor(
    readonly code: string,
    readonly queryCode: string,
    message: string,
  ) {
    super(message);
    this.name = 'SqsStandInError';
  }
}
