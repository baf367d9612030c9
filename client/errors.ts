import type { CloudErrorBody, UserFacingError } from "../api/types";
import type { Problem } from "../errors/problem";

export interface DataProtectionErrorInit {
  /** HTTP status of the failed response; absent for network failures and failed operations/jobs. */
  statusCode?: number;
  /** The service's error code (e.g. `UserErrorRestoreToLowerVersion`), or ours for client-side failures. */
  code: string;
  /** The service's message, as it wrote it. */
  serviceMessage: string;
  recommendedAction?: string[];
  isRetryable?: boolean;
  isUserError?: boolean;
  target?: string;
  requestId?: string;
  correlationId?: string;
  clientRequestId?: string;
  /** The REST operation that failed, e.g. `validateRestore`. */
  operation?: string;
  /**
   * The request may or may not have reached the service (connection reset, timeout after sending):
   * a caller must find out before sending a write again.
   */
  ambiguous?: boolean;
  details?: DataProtectionError[];
}

function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function lowerFirst(text: string): string {
  return text.length > 1 && /^[A-Z][a-z]/.test(text) ? text[0].toLowerCase() + text.slice(1) : text;
}

function isUserFacingError(value: unknown): value is UserFacingError {
  return typeof value === "object" && value !== null && ("code" in value || "message" in value);
}

/**
 * The one error of the Data Protection client: what the service said (code, message, recommended
 * action, retryable, user error, target) and how to trace it (request and correlation IDs). Its
 * message reads like the service's: "<message> Fix: <recommended action>".
 */
export class DataProtectionError extends Error {
  override readonly name = "DataProtectionError";
  readonly statusCode?: number;
  readonly code: string;
  readonly serviceMessage: string;
  readonly recommendedAction: string[];
  readonly isRetryable?: boolean;
  readonly isUserError?: boolean;
  readonly target?: string;
  readonly requestId?: string;
  readonly correlationId?: string;
  readonly clientRequestId?: string;
  readonly operation?: string;
  readonly ambiguous: boolean;
  readonly details: DataProtectionError[];

  constructor(init: DataProtectionErrorInit) {
    const fix = (init.recommendedAction ?? []).filter((a) => a.trim() !== "");
    super(`${sentence(init.serviceMessage)}${fix.length > 0 ? ` Fix: ${fix.map((a) => sentence(lowerFirst(a))).join(" ")}` : ""}`);
    this.statusCode = init.statusCode;
    this.code = init.code;
    this.serviceMessage = init.serviceMessage;
    this.recommendedAction = fix;
    this.isRetryable = init.isRetryable;
    this.isUserError = init.isUserError;
    this.target = init.target || undefined;
    this.requestId = init.requestId;
    this.correlationId = init.correlationId;
    this.clientRequestId = init.clientRequestId;
    this.operation = init.operation;
    this.ambiguous = init.ambiguous ?? false;
    this.details = init.details ?? [];
  }

  /** From a `CloudError` body (`{ error: {...} }`) or its inner `error`, reading Data Protection's `additionalInfo[].info`. */
  static fromCloudError(body: CloudErrorBody | undefined, context: Partial<DataProtectionErrorInit> = {}): DataProtectionError {
    const info = (body?.additionalInfo ?? []).map((a) => a.info).find(isUserFacingError);
    return new DataProtectionError({
      ...context,
      code: body?.code ?? info?.code ?? context.code ?? "UnknownError",
      serviceMessage: body?.message ?? info?.message ?? context.serviceMessage ?? "The service returned an error without a message",
      recommendedAction: info?.recommendedAction ?? context.recommendedAction,
      isRetryable: info?.isRetryable ?? context.isRetryable,
      isUserError: info?.isUserError ?? context.isUserError,
      target: body?.target || info?.target || context.target,
      details: (body?.details ?? []).map((d) => DataProtectionError.fromCloudError(d)),
    });
  }

  /** From a job's `errorDetails` entry. */
  static fromUserFacingError(error: UserFacingError, context: Partial<DataProtectionErrorInit> = {}): DataProtectionError {
    return new DataProtectionError({
      ...context,
      code: error.code ?? "UnknownError",
      serviceMessage: error.message ?? "The restore job failed without a message",
      recommendedAction: error.recommendedAction,
      isRetryable: error.isRetryable,
      isUserError: error.isUserError,
      target: error.target,
      details: (error.details ?? []).map((d) => DataProtectionError.fromUserFacingError(d)),
    });
  }

  /** The fix, as one sentence (empty when the service gave none). */
  get fix(): string {
    return this.recommendedAction.map((a) => sentence(a)).join(" ");
  }

  /** The same error as a `Problem`, as the CLI, `pulumi preview` and the logs print it. */
  toProblem(extra: Partial<Problem> = {}): Problem {
    const trace = [this.requestId ? `request ${this.requestId}` : "", this.correlationId ? `correlation ${this.correlationId}` : ""].filter(Boolean).join(", ");
    return {
      code: this.code,
      severity: "error",
      message: `${this.code}: ${sentence(this.serviceMessage)}${this.statusCode ? ` (HTTP ${this.statusCode}${trace ? `; ${trace}` : ""})` : trace ? ` (${trace})` : ""}`,
      ...(this.recommendedAction.length > 0 ? { remedy: this.fix } : {}),
      ...extra,
    };
  }

  /** A plain record for outputs and logs: never holds request headers. */
  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.serviceMessage,
      recommendedAction: this.recommendedAction,
      ...(this.statusCode !== undefined ? { statusCode: this.statusCode } : {}),
      ...(this.isRetryable !== undefined ? { isRetryable: this.isRetryable } : {}),
      ...(this.isUserError !== undefined ? { isUserError: this.isUserError } : {}),
      ...(this.target ? { target: this.target } : {}),
      ...(this.requestId ? { requestId: this.requestId } : {}),
      ...(this.correlationId ? { correlationId: this.correlationId } : {}),
    };
  }
}

export function isDataProtectionError(error: unknown): error is DataProtectionError {
  return error instanceof DataProtectionError || (error instanceof Error && error.name === "DataProtectionError");
}
