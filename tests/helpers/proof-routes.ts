import type { FastifyInstance } from 'fastify';
import { ACCESS_RULES, type AccessRule } from '../../server/plugins/access';

/**
 * The route table the proof suites walk: every route Fastify registered (from `app.routeCatalog`, filled by
 * the access plugin's onRoute hook, so a route cannot be missing from it), joined with the request schemas
 * that @fastify/swagger collected for the OpenAPI document. Nothing here is maintained by hand: a route that
 * lands tomorrow is walked tomorrow.
 */

/** A JSON schema as the OpenAPI document gives it (OpenAPI 3.0: `nullable` instead of a null union). */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  pattern?: string;
  format?: string;
  default?: unknown;
  [key: string]: unknown;
}

export interface ProofRoute {
  /** `GET /api/members/:id`: the key used in overrides and reports. */
  key: string;
  method: string;
  /** Fastify's form, with `:param`. */
  url: string;
  access: AccessRule;
  /** Path parameter names, in order of appearance. */
  params: { name: string; schema: JsonSchema }[];
  /** The query string as one object schema, or null when the route declares none. */
  query: JsonSchema | null;
  /** The JSON body schema, or null. */
  body: JsonSchema | null;
  /** True when the route appears in the OpenAPI document (third-party UI routes hide themselves). */
  documented: boolean;
}

interface OpenApiParameter {
  in: string;
  name: string;
  required?: boolean;
  schema?: JsonSchema;
}
interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}
interface OpenApiDocument {
  paths?: Record<string, Record<string, OpenApiOperation>>;
}

/** `/api/members/:id` → `/api/members/{id}`, `/ical/:token.ics` → `/ical/{token}.ics` (what @fastify/swagger writes). */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

export function paramNames(url: string): string[] {
  return [...url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
}

export function routeTable(app: FastifyInstance): ProofRoute[] {
  const doc = app.swagger() as OpenApiDocument;
  const seen = new Set<string>();
  const routes: ProofRoute[] = [];
  for (const entry of app.routeCatalog) {
    const key = `${entry.method} ${entry.url}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const op = doc.paths?.[openApiPath(entry.url)]?.[entry.method.toLowerCase()];
    const parameters = op?.parameters ?? [];
    const queryParams = parameters.filter((p) => p.in === 'query');
    const query: JsonSchema | null = queryParams.length
      ? {
          type: 'object',
          properties: Object.fromEntries(queryParams.map((p) => [p.name, p.schema ?? {}])),
          required: queryParams.filter((p) => p.required).map((p) => p.name),
        }
      : null;
    routes.push({
      key,
      method: entry.method,
      url: entry.url,
      access: entry.access,
      params: paramNames(entry.url).map((name) => ({
        name,
        schema: parameters.find((p) => p.in === 'path' && p.name === name)?.schema ?? { type: 'string' },
      })),
      query,
      body: op?.requestBody?.content?.['application/json']?.schema ?? null,
      documented: op !== undefined,
    });
  }
  return routes;
}

/** Every OpenAPI operation, as `METHOD /fastify/:form`, so the suites can check both sources agree. */
export function documentedOperations(app: FastifyInstance): string[] {
  const doc = app.swagger() as OpenApiDocument;
  const out: string[] = [];
  for (const [path, ops] of Object.entries(doc.paths ?? {})) {
    for (const method of Object.keys(ops)) {
      if (['get', 'post', 'put', 'patch', 'delete'].includes(method)) out.push(`${method.toUpperCase()} ${path.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1')}`);
    }
  }
  return out;
}

export const isAccessRule = (rule: unknown): rule is AccessRule => (ACCESS_RULES as readonly unknown[]).includes(rule);

/** Fills `:param`s of a Fastify URL, percent-encoding each value. */
export function fillUrl(url: string, values: Record<string, string | number>): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, (_, name: string) => {
    const v = values[name];
    if (v === undefined) throw new Error(`no value for :${name} in ${url}`);
    return encodeURIComponent(String(v));
  });
}

/** The routes an actor of the API calls: the OpenAPI UI's static files are not the API. */
export const isApiRoute = (r: ProofRoute) => !/^\/api\/docs(\/|$)/.test(r.url) && r.url !== '/*' && r.url !== '/assets/*' && r.url !== '/';
