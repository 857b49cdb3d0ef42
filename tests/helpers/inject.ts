import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** A signed-in request to the app under test. */
export function sendAs(app: () => FastifyInstance) {
  return (method: Method, url: string, cookie: string, payload?: unknown) =>
    app().inject({ method, url, headers: { cookie }, ...(payload === undefined ? {} : { payload: payload as object }) });
}

/** The body of an answer that must have `status`. */
export function ok(res: LightMyRequestResponse, status = 200) {
  assert.equal(res.statusCode, status, res.body);
  return res.json();
}

/** The error of an answer that must be refused with `status` and `code`. */
export function refused(res: LightMyRequestResponse, status: number, code: string) {
  assert.equal(res.statusCode, status, res.body);
  assert.equal(res.json().error.code, code, res.body);
  return res.json().error;
}
