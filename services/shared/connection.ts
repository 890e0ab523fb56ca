/**
 * Relay-style connections, one way in every subgraph: the page info, edge and connection classes a list's types
 * extend, and the function that turns a page of edges into a connection. The cursors inside come from
 * keyset-cursor.ts.
 */
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { ClassType, Directive, Field, InputType, Int, ObjectType } from 'type-graphql';

/** The same type in every subgraph that pages a list, hence @shareable. */
@Directive('@shareable')
@ObjectType({ description: 'Where a page of a list ends, and whether more follow' })
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page' })
  endCursor!: string | null;
}

/**
 * The cursor and node of an edge. A list's edge extends it under its own name (`class BugEdge extends
 * EdgeType(Bug) {}`), adding fields of its own after these two if it has any.
 */
export function EdgeType<TNode extends object>(nodeType: ClassType<TNode>, options: { cursorDescription?: string } = {}) {
  @ObjectType()
  abstract class Edge {
    @Field({ description: options.cursorDescription })
    cursor!: string;

    @Field(() => nodeType)
    node!: TNode;
  }
  return Edge;
}

/** The edges and page info of a connection; a list's connection extends it under its own name. */
export function ConnectionType<TEdge extends object>(edgeType: ClassType<TEdge>) {
  @ObjectType()
  abstract class Connection {
    @Field(() => [edgeType])
    edges!: TEdge[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;
  }
  return Connection;
}

/** A page input's `first`: 1 to 100, absent for the list's default. */
export function PageSizeField(description?: string): PropertyDecorator {
  return (target, property) => {
    Field(() => Int, { nullable: true, description })(target, property);
    IsOptional()(target, property);
    IsInt()(target, property);
    Min(1)(target, property);
    Max(100)(target, property);
  };
}

/** A page input's `after`: the endCursor of the previous page. */
export function AfterCursorField(description?: string): PropertyDecorator {
  return (target, property) => {
    Field(() => String, { nullable: true, description })(target, property);
    IsOptional()(target, property);
    IsString()(target, property);
    Length(1, 200)(target, property);
  };
}

/** The page of a list that takes nothing else: a list's page input extends it under its own name. */
@InputType()
export abstract class PageInput {
  @PageSizeField()
  first?: number;

  @AfterCursorField()
  after?: string;
}

/**
 * A connection of a page of edges. The next page starts after the last edge, unless the caller names another
 * end: a hit whose node vanished between the keyset query and the load still ends the page it was on.
 */
export function connectionOf<TEdge extends { cursor: string }>(
  edges: TEdge[],
  hasNextPage: boolean,
  endCursor: string | null = edges.at(-1)?.cursor ?? null,
): { edges: TEdge[]; pageInfo: PageInfo } {
  return { edges, pageInfo: { hasNextPage, endCursor } };
}
