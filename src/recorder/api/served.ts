import type { FromSchema, JSONSchema } from 'json-schema-to-ts';

/**
 * What a body described by `Schema` looks like on the wire. FromSchema gives an object whose schema
 * does not forbid other properties an index signature (`[x: string]: unknown`); the recorder's
 * serializer (fast-json-stringify) writes only the properties a response schema declares, so a
 * client never sees any other: those index signatures are dropped.
 */
export type Served<Schema extends JSONSchema> = Declared<FromSchema<Schema>>;

type Named<T> = { [Key in keyof T as string extends Key ? never : Key]: T[Key] };

/**
 * `T` without the index signature of an object that also names its properties, at every depth. An
 * object with nothing but an index signature is a map (kept) or, with unknown values, any object.
 */
export type Declared<T> = T extends readonly (infer Item)[]
  ? Declared<Item>[]
  : T extends object
    ? keyof Named<T> extends never
      ? string extends keyof T
        ? unknown extends T[string]
          ? object
          : T
        : T
      : { [Key in keyof Named<T>]: Declared<Named<T>[Key]> }
    : T;
