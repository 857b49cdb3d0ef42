import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import SwaggerParser from '@apidevtools/swagger-parser';
import { buildTestApp } from '../helpers/app';

describe('OpenAPI document', () => {
  it('is a valid OpenAPI document (what client generators read)', async () => {
    const t = await buildTestApp();
    try {
      const doc = (await t.app.inject({ url: '/api/docs/json' })).json();
      assert.match(doc.openapi, /^3\./);
      // validate() checks against the OpenAPI schema and resolves every $ref; it throws on the first error.
      await SwaggerParser.validate(structuredClone(doc));
      assert.ok(Object.keys(doc.paths).includes('/healthz'));
    } finally {
      await t.close();
    }
  });
});
