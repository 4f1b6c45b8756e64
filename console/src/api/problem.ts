/** An RFC 9457 problem as the services answer it (shared/errors.py). */
export interface FieldError {
  field: string;
  message: string;
  type?: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  instance?: string;
  request_id?: string;
  /** The one field a domain rule refused (``Unprocessable(field=...)``). */
  field?: string;
  /** Every field schema validation refused. */
  errors?: FieldError[];
  [extension: string]: unknown;
}

/** A refused call: the problem the service answered, with the status and the response headers. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  readonly headers: Headers;

  constructor(status: number, problem: Problem, headers: Headers) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.problem = problem;
    this.headers = headers;
  }

  /** 412 (If-Match stale) or 409 (a state the change no longer fits): the user's input must not be lost. */
  get isConflict(): boolean {
    return this.status === 412 || this.status === 409;
  }

  /** Field name -> messages, for a form (``body.name`` and ``name`` both map to ``name``). */
  fieldErrors(): Record<string, string[]> {
    const result: Record<string, string[]> = {};
    const add = (field: string, message: string) => {
      const name = field.replace(/^(body|query|path|header)\./, "");
      if (!result[name]) result[name] = [];
      result[name].push(message);
    };
    for (const error of this.problem.errors ?? []) add(error.field, error.message);
    if (this.problem.field && this.problem.detail) add(this.problem.field, this.problem.detail);
    return result;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}
