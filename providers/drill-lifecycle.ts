import type { ApiVersion } from "../api/versions";
import { checkSpecValue } from "../checks/check";
import { positioned } from "../errors/field";
import { formatProblem } from "../errors/problem";
import type { Clock } from "../client/jobs";
import type { VerifyIO } from "../verify";
import { DrillRunner, type DrillApi, type DrillRestores } from "./drill-runner";
import { diffDrill, DrillFailedError, failureReasons, windowIsNew, type DrillInputs, type DrillState } from "./drill-state";
import type { CheckFailure } from "./session-checks";

/**
 * What the engine's calls do to a RestoreDrill resource. A window is run once: by the first `up` that
 * finds the drill in it (create, or update of the long-lived resource); other runs of the program in
 * that window change nothing and call nothing. A window whose run failed stays failed (the update
 * re-raises it, with its evidence, and runs nothing) until the next window starts.
 */
export class DrillLifecycle {
  private drillRunner?: DrillRunner;

  constructor(
    private readonly restores: DrillRestores,
    private readonly api: () => DrillApi,
    private readonly verifyIO: () => VerifyIO,
    private readonly clock: Clock,
    private readonly settings: { apiVersion: ApiVersion; validateInPreview: boolean; subscriptionId?: string },
  ) {}

  private runner(): DrillRunner {
    return (this.drillRunner ??= new DrillRunner(this.restores, this.api, this.verifyIO, this.clock, this.settings.subscriptionId));
  }

  /** Preview: the drill's checks, and, in a window it has not run, Azure's validation of each restore it would run. */
  async check(olds: Partial<DrillState>, news: DrillInputs): Promise<{ inputs: DrillInputs; failures: CheckFailure[] }> {
    const problems = checkSpecValue(news.drill, { apiVersion: this.settings.apiVersion }).filter((p) => p.severity === "error");
    if (problems.length > 0) return { inputs: news, failures: problems.map((p) => ({ property: "drill", reason: formatProblem(positioned({ file: news.specFile }, p)) })) };
    if (!news.window || !windowIsNew(olds, news) || !this.settings.validateInPreview) return { inputs: news, failures: [] };
    try {
      return { inputs: news, failures: await this.runner().check(news, news.window) };
    } catch (error) {
      return { inputs: news, failures: [{ property: "drill", reason: `${news.specFile}  ${(error as Error).message}` }] };
    }
  }

  diff(olds: Partial<DrillState>, news: DrillInputs): { changes: boolean; replaces: string[] } {
    return diffDrill(olds, news);
  }

  async create(inputs: DrillInputs): Promise<{ id: string; outs: DrillState }> {
    const id = inputs.drill.metadata.name;
    if (!inputs.window) return { id, outs: { ...inputs, name: id, runs: [] } };
    return { id, outs: await this.runner().run(inputs, {}, inputs.window) };
  }

  async update(id: string, olds: DrillState, news: DrillInputs): Promise<{ outs: DrillState }> {
    const kept: DrillState = { ...olds, ...news, name: news.drill.metadata.name, runs: olds.runs ?? [] };
    if (!news.window || !windowIsNew(olds, news)) {
      const last = olds.runs?.[0];
      if (last && !last.passed && last.window === olds.lastWindow && olds.lastWindow === news.window?.index) {
        throw new DrillFailedError(id, kept, failureReasons(last, news.specFile));
      }
      return { outs: kept };
    }
    return { outs: await this.runner().run(news, olds, news.window) };
  }

  /** `pulumi refresh`: the evidence is the record of what happened; there is nothing in Azure to read back. */
  async read(id: string, props: DrillState): Promise<{ id: string; props: DrillState }> {
    return { id, props };
  }
}
