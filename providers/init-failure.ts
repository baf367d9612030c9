/**
 * A resource the provider created that failed to initialize: the dynamic provider host sends `id` and
 * `properties` as ErrorResourceInitFailed, so the engine keeps them in the state, and `up` fails with
 * `reasons` (@pulumi/pulumi cmd/dynamic-provider, grpcResponseFromError).
 */
export class InitFailure<P> extends Error {
  constructor(
    readonly id: string,
    readonly properties: P,
    readonly reasons: string[],
  ) {
    super(reasons.join("\n"));
    this.name = new.target.name;
  }
}
