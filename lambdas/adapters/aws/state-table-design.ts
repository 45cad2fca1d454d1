import type { AttributeDefinition, GlobalSecondaryIndex, KeySchemaElement } from '@aws-sdk/client-dynamodb';
import { STATE_TABLE } from '../../core/config/state-table-design.js';

/**
 * The state table's key design (`lambdas/core/config/state-table-design.ts`) as DynamoDB CreateTable
 * shapes, for the local stand-in that creates the table the CDK app creates on AWS.
 */

/** CreateTable attribute definitions (keys of the table and of the GSI). */
export const STATE_TABLE_ATTRIBUTES: AttributeDefinition[] = [
  { AttributeName: STATE_TABLE.partitionKey, AttributeType: 'S' },
  { AttributeName: STATE_TABLE.kindStatusKey, AttributeType: 'S' },
  { AttributeName: STATE_TABLE.sortKey, AttributeType: 'S' },
];

/** CreateTable key schema of the table. */
export const STATE_TABLE_KEY_SCHEMA: KeySchemaElement[] = [
  { AttributeName: STATE_TABLE.partitionKey, KeyType: 'HASH' },
];

/** CreateTable definition of the `byKindStatus` index. */
export const STATE_TABLE_GSI: GlobalSecondaryIndex = {
  IndexName: STATE_TABLE.kindStatusIndex,
  KeySchema: [
    { AttributeName: STATE_TABLE.kindStatusKey, KeyType: 'HASH' },
    { AttributeName: STATE_TABLE.sortKey, KeyType: 'RANGE' },
  ],
  Projection: { ProjectionType: 'ALL' },
};
