import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import fastJsonStringify from 'fast-json-stringify';
import fp from 'fastify-plugin';

/**
 * Bodies are validated strictly: no type coercion (`"5"` is not 5) and unknown fields refused rather than
 * silently dropped. Query strings and path params arrive as text, so they are coerced.
 */
export function makeAjv(coerce: boolean) {
  const ajv = new Ajv({
    coerceTypes: coerce ? 'array' : false,
    removeAdditional: false,
    useDefaults: true,
    allErrors: false,
    strict: false,
  });
  addFormats(ajv);
  return ajv;
}

/**
 * Compiled validators and serializers are kept per process, keyed by the schema's content and the compiler's
 * options: an app built again in the same process (each test builds its own) reuses them instead of compiling
 * ~300 schemas again (≈ 0.5 s of CPU per app). What a compiled function does depends only on those, so a
 * reused one is the one a fresh compile would give (tests/unit/schema-compilers.test.ts checks it).
 */
const compilers = { strict: makeAjv(false), coercing: makeAjv(true) };
const validators = new Map<string, ValidateFunction>();
const serializers = new Map<string, (data: unknown) => string>();

export function compileValidator(schema: object, coerce: boolean): ValidateFunction {
  const key = `${coerce ? 'coerce' : 'strict'}\u0000${JSON.stringify(schema)}`;
  let validate = validators.get(key);
  if (!validate) validators.set(key, (validate = (coerce ? compilers.coercing : compilers.strict).compile(schema)));
  return validate;
}

export function compileSerializer(schema: object): (data: unknown) => string {
  const key = JSON.stringify(schema);
  let serialize = serializers.get(key);
  if (!serialize) serializers.set(key, (serialize = fastJsonStringify(schema)));
  return serialize;
}

/** What the process compiled so far, by key (`strict|coerce\u0000schema JSON`, or the schema JSON): for the test that compares with fresh compiles. */
export const compiledSoFar = () => ({ validators: [...validators], serializers: [...serializers] });

function validation(app: FastifyInstance) {
  app.setValidatorCompiler(({ schema, httpPart }) => compileValidator(schema as object, httpPart !== 'body'));
  app.setSerializerCompiler(({ schema }) => compileSerializer(schema as object));
}

export default fp(validation, { name: 'validation' });
