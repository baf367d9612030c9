import type { AbortSignalLike } from "@azure/abort-controller";
import type { HttpMethods } from "@azure/core-rest-pipeline";
import type { ApiVersion } from "../api/versions";

/** The shapes of one HTTP exchange with the service, shared by the client and its operation follower. */
export interface CallOptions {
  /** The call's api-version: a Data Protection one (ApiVersion), or another provider's for its calls (Microsoft.Authorization). */
  apiVersion?: ApiVersion | (string & {});
  abortSignal?: AbortSignalLike;
}

export interface RawResult<T> {
  status: number;
  headers: Record<string, string>;
  body: T;
  url: string;
  method: string;
}

/** What following an operation needs of the client: one exchange. */
export interface Exchanger {
  send<T>(operation: string, method: HttpMethods, pathOrUrl: string, options?: CallOptions): Promise<RawResult<T>>;
}
