/**
 * Builds an Apollo Federation 2 subgraph schema from type-graphql resolvers: type-graphql builds the schema,
 * it is printed with its directives, the federation link is prepended, and @apollo/subgraph builds the
 * subgraph with reference resolvers passed in the resolver map (the only place they take effect).
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { GraphQLSchema, parse } from 'graphql';
import { AuthChecker, NonEmptyArray, buildSchema, createResolversMap } from 'type-graphql';
import { forbidden } from './errors';
import type { Role } from './request-context';
import type { SubgraphContext } from './subgraph-context';

const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible"])';

export type ReferenceResolvers = Record<string, { __resolveReference: (reference: any, context: any) => unknown }>;

/** admin may do what agent and analyst may; system is only ever allowed where it is named. */
const authChecker: AuthChecker<SubgraphContext, Role> = ({ context }, roles) => {
  const role = context.auth.role;
  if (roles.length === 0 || roles.includes(role)) return true;
  if (role === 'admin' && (roles.includes('agent') || roles.includes('analyst'))) return true;
  throw forbidden(`This operation needs one of the roles ${roles.join(', ')}; the caller has the role ${role}`);
};

export interface FederatedSchemaOptions {
  /** Resolver instances, constructed with their dependencies (type-graphql asks this list for them). */
  resolvers: [object, ...object[]];
  referenceResolvers?: ReferenceResolvers;
  orphanedTypes?: Function[];
}

export async function buildFederatedSchema(options: FederatedSchemaOptions): Promise<GraphQLSchema> {
  const instances = options.resolvers;
  const resolvers = instances.map((instance) => instance.constructor) as unknown as NonEmptyArray<Function>;
  const container = {
    get(resolverClass: Function) {
      const instance = instances.find((candidate) => candidate.constructor === resolverClass);
      if (!instance) throw new Error(`No resolver instance registered for ${resolverClass.name}`);
      return instance;
    },
  };
  const schema = await buildSchema({
    resolvers,
    container,
    orphanedTypes: options.orphanedTypes ?? [],
    authChecker,
    skipCheck: true,
    validate: { forbidUnknownValues: false },
  });
  const typeDefs = parse(`${FEDERATION_LINK}\n${printSchemaWithDirectives(schema)}`);
  const resolverMap = createResolversMap(schema) as Record<string, Record<string, unknown>>;
  for (const [typeName, reference] of Object.entries(options.referenceResolvers ?? {})) {
    resolverMap[typeName] = { ...(resolverMap[typeName] ?? {}), ...reference };
  }
  return buildSubgraphSchema({ typeDefs, resolvers: resolverMap as any });
}
