/**
 * Typed application errors with a stable code. The single error handler turns them into
 * `{ error: { code, message, details? } }` with their status; anything else is a 500 whose message is hidden.
 */
export class AppError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 421 | 422 | 429 | 503,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (code: string, message: string, details?: unknown) =>
  new AppError(400, code, message, details);
export const unauthenticated = (message = 'Authentication required') =>
  new AppError(401, 'auth.required', message);
export const forbidden = (message = 'You may not do this', code = 'access.forbidden') =>
  new AppError(403, code, message);
export const notFound = (entity: string, id?: number | string) =>
  new AppError(404, `${entity}.not_found`, id === undefined ? `No such ${entity}` : `No ${entity} with id ${id}`);
export const conflict = (code: string, message: string, details?: unknown) =>
  new AppError(409, code, message, details);
export const unprocessable = (code: string, message: string, details?: unknown) =>
  new AppError(422, code, message, details);
export const tooManyRequests = (message: string, details?: unknown) =>
  new AppError(429, 'auth.rate_limited', message, details);

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
