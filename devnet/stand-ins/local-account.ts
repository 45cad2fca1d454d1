/**
 * The account id in every local ARN, queue URL and event: the SQS and Batch stand-ins and the
 * scheduler share it, so the ARNs one builds are the ARNs the others expect.
 */
export const LOCAL_ACCOUNT_ID = '000000000000';
