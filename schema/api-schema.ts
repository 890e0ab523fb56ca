/** The public API schema (what clients of the gateway see) derived from a supergraph. */
import { Supergraph } from '@apollo/federation-internals';
import type { GraphQLSchema } from 'graphql';

export function apiSchemaOf(supergraphSdl: string): GraphQLSchema {
  return Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
}
