import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KMSClient } from '@aws-sdk/client-kms';

/** Appends the command name (such as `"QueryCommand"`) of every request the client sends to `sent`. */
export function recordCommands(client: KMSClient | DynamoDBClient, sent: string[]): void {
  // Each client's `add` is overloaded per middleware step, and a union of two such
  // overload sets is not callable, so the stack is narrowed to the one signature used here.
  const stack = client.middlewareStack as unknown as {
    add(middleware: (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => Promise<unknown>): void;
  };
  stack.add((next, context) => (args) => {
    sent.push(String(context.commandName));
    return next(args);
  });
}
