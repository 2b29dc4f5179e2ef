/**
 * The subset of JSON Schema our collection schemas use. RxDB, the server's validator (ajv) and the
 * OpenAPI document all read the same objects, so only keywords every one of them understands appear.
 */
export interface JsonSchema {
  type?: 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array' | ('string' | 'null')[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  additionalProperties?: boolean;
  items?: JsonSchema;
  enum?: readonly (string | number)[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: 'date-time' | 'email';
  /** RxDB: a number field used in an index needs a multipleOf. */
  multipleOf?: number;
}

/** An RxDB collection schema (RxJsonSchema), written as plain data so the server can use it too. */
export interface CollectionSchema extends JsonSchema {
  title: string;
  version: number;
  primaryKey: 'id';
  type: 'object';
  properties: Record<string, JsonSchema>;
  required: readonly string[];
  indexes?: readonly (string | readonly string[])[];
}
