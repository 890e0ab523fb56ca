/** A fresh workspace (created with the stack's operator key) with one key per role, made through the gateway. */
import { GraphQLResult, dataOf, graphql } from './graphql';
import type { TestStack } from './stack';

export interface TestWorkspace {
  id: string;
  keys: Record<'admin' | 'agent' | 'analyst' | 'widget', string>;
  customerTokenSecret: string;
  /** GraphQL through the gateway with one of the keys. */
  as(role: keyof TestWorkspace['keys'], query: string, variables?: Record<string, unknown>, customerToken?: string): Promise<GraphQLResult<any>>;
}

export async function createTestWorkspace(env: TestStack, name: string, options: { timeZone?: string } = {}): Promise<TestWorkspace> {
  const created = dataOf(
    await graphql(env.gatewayUrl, 'mutation($input: CreateWorkspaceInput!) { createWorkspace(input: $input) { workspace { id } adminKey customerTokenSecret } }', { input: { name, ...options } }, { apiKey: env.operatorKey }),
  ).createWorkspace;
  const keys = { admin: created.adminKey, agent: '', analyst: '', widget: '' };
  for (const role of ['agent', 'analyst', 'widget'] as const) {
    keys[role] = dataOf(
      await graphql(env.gatewayUrl, 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }', { input: { role: role.toUpperCase(), label: role } }, { apiKey: keys.admin }),
    ).createApiKey.secret;
  }
  return {
    id: created.workspace.id,
    keys,
    customerTokenSecret: created.customerTokenSecret,
    as: (role, query, variables = {}, customerToken) => graphql(env.gatewayUrl, query, variables, { apiKey: keys[role], customerToken }),
  };
}

/**
 * An agent claims a handed-off conversation and corrects its AI turn, as the desk does; returns the learned
 * answer with `learnedAnswerFields` selected (for example 'id kind status').
 */
export async function claimAndCorrect(ws: TestWorkspace, turn: { conversation: { id: string }; message: { id: string } }, correctedText: string, learnedAnswerFields: string): Promise<any> {
  dataOf(await ws.as('agent', 'mutation($input: ConversationRef!) { claimConversation(input: $input) { id } }', { input: { conversationId: turn.conversation.id } }));
  return dataOf(
    await ws.as('agent', `mutation($input: CorrectAnswerInput!) { correctAnswer(input: $input) { learnedAnswer { ${learnedAnswerFields} } } }`, {
      input: { messageId: turn.message.id, correctedText },
    }),
  ).correctAnswer.learnedAnswer;
}
