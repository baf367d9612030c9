import { randomUUID } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { ROLES } from "../../api/roles";
import type {
  AzureBackupJobResource,
  AzureBackupRecoveryPointResource,
  AzureBackupRestoreRequest,
  BackupInstanceResource,
  BackupVaultResource,
  CrossRegionRestoreRequestObject,
  RoleAssignmentResource,
  RoleDefinitionResource,
  UserFacingWarningDetail,
} from "../../api/types";
import { builtInRoles, roleDefinitionResource } from "../../emulator/role-definitions";
import type { BackupInstanceAddress, SecondaryRegion, VaultAddress } from "../../client/client";
import { DataProtectionError } from "../../client/errors";
import type { LroOptions, LroOutcome } from "../../client/lro";
import type { RestoreApi } from "../../providers/session";
import type { FakeClock } from "./fake-clock";

const fixtures = path.join(__dirname, "..", "fixtures", "instances");
const instances: BackupInstanceResource[] = ["msblobbackup.json", "testpostgresql-empdb11.json", "clitest-cluster1-donotdelete.json"].map((f) => JSON.parse(fs.readFileSync(path.join(fixtures, f), "utf8")));

export interface FakeCall {
  op: string;
  at: number;
  target?: string;
}

/**
 * The session's side of the Data Protection API, in memory on a fake clock: the blob, PostgreSQL and AKS
 * fixture backup instances, recovery points, validations that pass, restores that start jobs which end after
 * `jobDurationMs`, and the vault's job list. Every call is logged with its virtual time.
 */
export class FakeApi implements RestoreApi {
  readonly calls: FakeCall[] = [];
  readonly jobs: AzureBackupJobResource[] = [];
  private readonly ends = new Map<string, number>();
  jobDurationMs = 300_000;
  /** The service's cap of running restores per backup instance (409 UserErrorMaxConcurrentOperationLimitReached beyond it). */
  maxRunningPerInstance?: number;
  /** How jobs end, and the warnings they end with. */
  endStatus = "Completed";
  endWarnings: UserFacingWarningDetail[] = [];
  recoveryPoints: AzureBackupRecoveryPointResource[] = [];
  /** The vault's system identity. */
  vaultPrincipalId = "6a7c9d1e-0000-4000-8000-00000000fa11";
  /** With `holdsEveryRole`, every principal holds every role a kind names, at the root scope; else only `assignments`. */
  holdsEveryRole = true;
  assignments: RoleAssignmentResource[] = [];
  /** Role definitions beside the built-in ones (custom roles). */
  customRoles: RoleDefinitionResource[] = [];
  /** The caller may not read role assignments (403 AuthorizationFailed, as ARM answers): anywhere, or at the scopes a test names. */
  assignmentsDenied: boolean | ((scope: string) => boolean) = false;
  /** The secondary region's recovery points (replication lags the primary's). */
  secondaryRecoveryPoints: AzureBackupRecoveryPointResource[] = [];
  /** Jobs started by crossRegionRestore: only the secondary region lists them. */
  private readonly crossRegionJobs = new Set<string>();
  /** validateRestore fails with this code until the clock reaches `deniedUntil`. */
  denial?: { code: string; until: number };

  constructor(private readonly clock: FakeClock) {}

  private log(op: string, target?: string): void {
    this.calls.push({ op, at: this.clock.now(), ...(target ? { target } : {}) });
  }

  count(op: string): number {
    return this.calls.filter((c) => c.op === op).length;
  }

  async getBackupInstance(bi: BackupInstanceAddress): Promise<BackupInstanceResource> {
    this.log("getBackupInstance");
    const found = instances.find((i) => i.name?.toLowerCase() === bi.name.toLowerCase());
    if (!found) throw new DataProtectionError({ code: "ResourceNotFound", serviceMessage: `no backup instance ${bi.name}`, statusCode: 404 });
    return structuredClone(found);
  }

  async getRecoveryPoint(_bi: BackupInstanceAddress, id: string): Promise<AzureBackupRecoveryPointResource> {
    this.log("getRecoveryPoint");
    const found = this.recoveryPoints.find((p) => p.name === id);
    if (!found) throw new DataProtectionError({ code: "ResourceNotFound", serviceMessage: `no recovery point ${id}`, statusCode: 404 });
    return found;
  }

  async listRecoveryPoints(): Promise<AzureBackupRecoveryPointResource[]> {
    this.log("listRecoveryPoints");
    return this.recoveryPoints;
  }

  async listBackupInstances(vault: VaultAddress): Promise<BackupInstanceResource[]> {
    this.log("listBackupInstances");
    return instances.filter((i) => i.id?.toLowerCase().includes(`/backupvaults/${vault.vault.toLowerCase()}/`)).map((i) => structuredClone(i));
  }

  async getBackupVault(vault: VaultAddress): Promise<BackupVaultResource> {
    this.log("getBackupVault");
    return { id: `/subscriptions/${vault.subscriptionId}/resourceGroups/${vault.resourceGroup}/providers/Microsoft.DataProtection/backupVaults/${vault.vault}`, identity: { type: "SystemAssigned", principalId: this.vaultPrincipalId } };
  }

  async getResource<T>(id: string): Promise<T> {
    this.log("getResource", id);
    return { id, identity: { type: "SystemAssigned", principalId: "c1a57e70-0000-4000-8000-0000000c1a57" } } as T;
  }

  async listRoleAssignments(scope: string, principalId: string): Promise<RoleAssignmentResource[]> {
    this.log("listRoleAssignments", scope);
    if (typeof this.assignmentsDenied === "function" ? this.assignmentsDenied(scope) : this.assignmentsDenied) {
      throw new DataProtectionError({ code: "AuthorizationFailed", statusCode: 403, serviceMessage: `The client does not have authorization to perform action 'Microsoft.Authorization/roleAssignments/read' over scope '${scope}'` });
    }
    const every = this.holdsEveryRole
      ? Object.values(ROLES).map((r) => ({ id: `/providers/Microsoft.Authorization/roleAssignments/${r.id}`, name: r.id, properties: { roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/${r.id}`, principalId, scope: "/" } }))
      : [];
    return [...every, ...this.assignments.filter((a) => a.properties.principalId === principalId)];
  }

  async getRoleDefinition(id: string): Promise<RoleDefinitionResource> {
    this.log("getRoleDefinition", id);
    const guid = id.split("/").pop()!.toLowerCase();
    const custom = this.customRoles.find((r) => r.name === guid);
    if (custom) return custom;
    const role = builtInRoles().find((r) => r.name === guid);
    if (!role) throw new DataProtectionError({ code: "RoleDefinitionDoesNotExist", serviceMessage: `no role definition ${guid}`, statusCode: 404 });
    return roleDefinitionResource(role);
  }

  async fetchSecondaryRecoveryPoints(region: SecondaryRegion): Promise<AzureBackupRecoveryPointResource[]> {
    this.log("fetchSecondaryRecoveryPoints", region.locationPath);
    return this.secondaryRecoveryPoints;
  }

  async validateCrossRegionRestore(region: SecondaryRegion): Promise<LroOutcome> {
    this.log("validateCrossRegionRestore", region.locationPath);
    return { status: "succeeded", polls: 1 };
  }

  async crossRegionRestore(region: SecondaryRegion, body: CrossRegionRestoreRequestObject, options: LroOptions = {}): Promise<LroOutcome> {
    const outcome = await this.triggerRestore(parseBackupInstanceId(body.crossRegionRestoreDetails.sourceBackupInstanceId), body.restoreRequestObject, options);
    this.calls[this.calls.length - 1].op = "crossRegionRestore";
    this.crossRegionJobs.add(outcome.jobId!.toLowerCase());
    void region;
    return outcome;
  }

  /** A job the secondary region runs (one "started before a crash", for adoption tests). */
  addCrossRegionJob(...args: Parameters<FakeApi["addJob"]>): AzureBackupJobResource {
    const job = this.addJob(...args);
    this.crossRegionJobs.add(job.id!.toLowerCase());
    return job;
  }

  async fetchCrossRegionRestoreJob(_region: SecondaryRegion, _vaultId: string, jobName: string): Promise<AzureBackupJobResource> {
    this.log("fetchCrossRegionRestoreJob", jobName);
    const job = this.jobs.find((j) => j.name!.toLowerCase() === jobName.toLowerCase() && this.crossRegionJobs.has(j.id!.toLowerCase()));
    if (!job) throw new DataProtectionError({ code: "ResourceNotFound", serviceMessage: `no cross-region job ${jobName}`, statusCode: 404 });
    return this.view(job);
  }

  async fetchCrossRegionRestoreJobs(): Promise<AzureBackupJobResource[]> {
    this.log("fetchCrossRegionRestoreJobs");
    return this.jobs.filter((j) => this.crossRegionJobs.has(j.id!.toLowerCase())).map((j) => this.view(j));
  }

  async validateRestore(): Promise<LroOutcome> {
    this.log("validateRestore");
    if (this.denial && this.clock.now() < this.denial.until) throw new DataProtectionError({ code: this.denial.code, serviceMessage: "Backup vault is missing the necessary permissions on the datasource to do this operation. " });
    return { status: "succeeded", polls: 1 };
  }

  async triggerRestore(bi: BackupInstanceAddress, request: AzureBackupRestoreRequest, options: LroOptions = {}): Promise<LroOutcome> {
    const info = request.restoreTargetInfo;
    const destination = "targetDetails" in info ? info.targetDetails.url : "datasourceInfo" in info ? info.datasourceInfo.resourceID : "";
    this.log("restore", destination);
    if (this.maxRunningPerInstance !== undefined) {
      const running = this.jobs.filter((j) => j.properties?.backupInstanceId?.toLowerCase().endsWith(`/backupinstances/${bi.name.toLowerCase()}`) && this.ends.get(j.id!.toLowerCase())! > this.clock.now()).length;
      if (running >= this.maxRunningPerInstance) {
        throw new DataProtectionError({ code: "UserErrorMaxConcurrentOperationLimitReached", serviceMessage: "Unable to start the operation as maximum number of allowed concurrent backups has reached.", statusCode: 409, isRetryable: true, operation: "restore" });
      }
    }
    const job = this.addJob(bi, request, destination, this.clock.now());
    options.onStarted?.("{}");
    return { status: "succeeded", jobId: job.id, polls: 1 };
  }

  /** A restore job as the service lists it (also for jobs "started before a crash"). */
  addJob(bi: BackupInstanceAddress, request: AzureBackupRestoreRequest, destination: string, startMs: number, durationMs = this.jobDurationMs): AzureBackupJobResource {
    const name = randomUUID();
    const vaultId = `/subscriptions/${bi.subscriptionId}/resourceGroups/${bi.resourceGroup}/providers/Microsoft.DataProtection/backupVaults/${bi.vault}`;
    const job: AzureBackupJobResource = {
      id: `${vaultId}/backupJobs/${name}`,
      name,
      properties: {
        activityID: name,
        backupInstanceFriendlyName: bi.name,
        backupInstanceId: `${vaultId}/backupInstances/${bi.name}`,
        dataSourceId: destination,
        dataSourceLocation: "westus",
        dataSourceName: bi.name,
        dataSourceType: "fake",
        isUserTriggered: true,
        operation: "Restore",
        operationCategory: "Restore",
        progressEnabled: false,
        sourceResourceGroup: bi.resourceGroup,
        sourceSubscriptionID: bi.subscriptionId,
        startTime: new Date(startMs).toISOString(),
        status: "InProgress",
        subscriptionId: bi.subscriptionId,
        supportedActions: [],
        vaultName: bi.vault,
        extendedInfo: {
          recoveryDestination: destination,
          sourceRecoverPoint: "recoveryPointTime" in request ? { recoveryPointTime: request.recoveryPointTime } : "recoveryPointId" in request ? { recoveryPointID: request.recoveryPointId } : {},
        },
      },
    };
    this.jobs.unshift(job);
    this.ends.set(job.id!.toLowerCase(), startMs + durationMs);
    return job;
  }

  async getJob(jobId: string | { vault: VaultAddress; name: string }): Promise<AzureBackupJobResource> {
    const id = typeof jobId === "string" ? jobId : jobId.name;
    this.log("getJob", id);
    const job = this.jobs.find((j) => j.id!.toLowerCase() === id.toLowerCase() && !this.crossRegionJobs.has(j.id!.toLowerCase()));
    if (!job) throw new DataProtectionError({ code: "ResourceNotFound", serviceMessage: `no job ${id}`, statusCode: 404 });
    return this.view(job);
  }

  /** As the service lists jobs: without their extendedInfo (recording job_list_and_show). */
  async listJobs(): Promise<AzureBackupJobResource[]> {
    this.log("listJobs");
    return this.jobs.filter((j) => !this.crossRegionJobs.has(j.id!.toLowerCase())).map((j) => this.view(j)).map((j) => ({ ...j, properties: { ...j.properties!, extendedInfo: null as unknown as undefined } }));
  }

  /** A job as it reads now: ended (`endStatus`, with `endWarnings`) once its duration has passed. */
  private view(job: AzureBackupJobResource): AzureBackupJobResource {
    const end = this.ends.get(job.id!.toLowerCase())!;
    const p = job.properties!;
    if (this.clock.now() < end) return { ...job, properties: { ...p, status: "InProgress" } };
    const extendedInfo = this.endWarnings.length > 0 ? { ...p.extendedInfo, warningDetails: this.endWarnings } : p.extendedInfo;
    return { ...job, properties: { ...p, status: this.endStatus, endTime: new Date(end).toISOString(), extendedInfo } };
  }
}

function parseBackupInstanceId(id: string): BackupInstanceAddress {
  const m = /\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.DataProtection\/backupVaults\/([^/]+)\/backupInstances\/([^/]+)/i.exec(id)!;
  return { subscriptionId: m[1], resourceGroup: m[2], vault: m[3], name: m[4] };
}
