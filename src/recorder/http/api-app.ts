import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyTypeProvider,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { JSONSchema } from 'json-schema-to-ts';
import type { Served } from '../api/served.js';

/** Request bodies, parameters and queries typed from the route's JSON schemas by json-schema-to-ts's type provider. */
type ValidatedRequest<Schema> = (JsonSchemaToTsProvider & { schema: Schema })['validator'];

/**
 * Requests typed as the type provider types them; answers typed as `Served`, with only the declared
 * properties: a handler may then answer with a domain interface, which TypeScript never lets match
 * the index signature FromSchema gives an open object.
 */
export interface RecorderTypeProvider extends FastifyTypeProvider {
  validator: ValidatedRequest<this['schema']>;
  serializer: this['schema'] extends JSONSchema ? Served<this['schema']> : unknown;
}

/** For routes that answer video (a stream or a file) with JSON only for errors: requests typed, answers not. */
export interface MediaTypeProvider extends FastifyTypeProvider {
  validator: ValidatedRequest<this['schema']>;
  serializer: unknown;
}

/** The app as routes see it: what they read and answer cannot drift from what is validated and served. */
export type ApiApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  RecorderTypeProvider
>;
