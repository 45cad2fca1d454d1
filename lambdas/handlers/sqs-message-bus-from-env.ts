import { SQSClient } from '@aws-sdk/client-sqs';
import { SDK_CLIENT_SETTINGS } from '../adapters/aws/sdk-client-settings.js';
import { SqsMessageBus } from '../adapters/aws/sqs-message-bus.js';
import type { MessageBus } from '../core/ports/message-bus.js';
import { readTopicQueueUrls } from './handler-environment.js';

/**
 * The message bus of the handlers that publish (watcher, dispatcher, job-state): SQS, one queue per
 * topic (`TOPIC_QUEUE_URLS`).
 * @throws ConfigError naming `TOPIC_QUEUE_URLS` when it is missing or invalid.
 */
export function sqsMessageBusFromEnv(env: NodeJS.ProcessEnv): MessageBus {
  return new SqsMessageBus({
    client: new SQSClient({ ...SDK_CLIENT_SETTINGS }),
    queueUrls: readTopicQueueUrls(env),
  });
}
