import { describe, expect, it } from 'vitest';
import { STATE_TABLE } from '../../lambdas/core/config/state-table-design.js';
import { synthPipeline } from './synth-pipeline.js';

describe('state table TTL', () => {
  it('lets DynamoDB delete items once their expiresAt (epoch seconds) has passed', () => {
    // Act
    const { template } = synthPipeline('config/aws-example.json');
    // Assess
    const tables = Object.values(template.findResources('AWS::DynamoDB::GlobalTable'));
    expect(tables).toHaveLength(1);
    expect(tables[0]?.Properties.TimeToLiveSpecification).toEqual({
      AttributeName: STATE_TABLE.timeToLiveAttribute,
      Enabled: true,
    });
    expect(STATE_TABLE.timeToLiveAttribute).toBe('expiresAt');
  });
});
