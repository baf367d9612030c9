import { describe, expect, test } from "vitest";
import type { AzureBackupRestoreRequest, CloudError } from "../../api/types";
import { call, useTestEmulator } from "./helpers";
import { DISK_BI, diskId, editedWorld, expectAccepted, expectViolation, jobStatusAfter, SOURCE_DISK } from "./kind-helpers";

/**
 * The managed disk kind (emulator/kinds/disk.ts): one test per rule, each asserting the service's code
 * (Disk troubleshooting), what a completed restore leaves behind (the disk, which a second restore to its
 * name meets), and the disk as `GET .../Microsoft.Compute/disks/{name}` serves it.
 */

const LATEST = "6f1c2a3b4d5e4f60718293a4b5c6d7e8";

/** The body `az dataprotection backup-instance restore initialize-for-data-recovery` builds (backup_instance_restore_disk #8). */
function diskRequest(target: string, recoveryPointId = LATEST): AzureBackupRestoreRequest {
  return {
    objectType: "AzureBackupRecoveryPointBasedRestoreRequest",
    recoveryPointId,
    sourceDataStoreType: "OperationalStore",
    restoreTargetInfo: {
      objectType: "RestoreTargetInfo",
      recoveryOption: "FailIfExists",
      restoreLocation: "westus",
      datasourceInfo: {
        datasourceType: "Microsoft.Compute/disks",
        objectType: "Datasource",
        resourceID: target,
        resourceLocation: "westus",
        resourceName: target.split("/").pop(),
        resourceType: "Microsoft.Compute/disks",
        resourceUri: target,
      },
    },
  };
}

const emu = useTestEmulator();
const getDisk = (id: string, version = "2022-07-02") => call<{ id: string; name: string; type: string; location: string; properties: Record<string, unknown> } & CloudError>(emu, "GET", `${id}?api-version=${version}`);

describe("disk restores", () => {
  test("a restore creates the disk: its job names it, and once the job completed GET serves it", async () => {
    const target = diskId("appdisk01-restored");
    const job = await expectAccepted(emu, DISK_BI, diskRequest(target));
    expect(job.extendedInfo?.recoveryDestination).toBe(target);
    // as recorded (backup_instance_restore_disk): no progress for disk restore jobs
    expect(job.progressEnabled).toBe(false);
    expect((await getDisk(target)).status).toBe(404);
    expect(await jobStatusAfter(emu, job.id, 300)).toBe("Completed");
    const disk = await getDisk(target);
    expect(disk.status, disk.text).toBe(200);
    expect(disk.body).toMatchObject({ id: target, name: "appdisk01-restored", type: "Microsoft.Compute/disks", location: "westus", properties: { provisioningState: "Succeeded", diskSizeGB: 128 } });
    expect(typeof disk.body.properties.timeCreated).toBe("string");
  });

  test("a second restore to that name fails UserErrorSameNameDiskAlreadyExists, while the first runs and after it completed", async () => {
    const target = diskId("appdisk01-twice");
    const job = await expectAccepted(emu, DISK_BI, diskRequest(target));
    await expectViolation(emu, DISK_BI, diskRequest(target), "UserErrorSameNameDiskAlreadyExists");
    expect(await jobStatusAfter(emu, job.id, 300)).toBe("Completed");
    await expectViolation(emu, DISK_BI, diskRequest(diskId("APPDISK01-TWICE")), "UserErrorSameNameDiskAlreadyExists");
  });

  test("a disk that exists fails UserErrorSameNameDiskAlreadyExists: the world's, and the protected disk itself (no original-location restore)", async () => {
    emu.control.loadWorld(editedWorld((w) => w.resources?.push({ id: diskId("taken"), location: "westus" })));
    await expectViolation(emu, DISK_BI, diskRequest(diskId("taken")), "UserErrorSameNameDiskAlreadyExists");
    await expectViolation(emu, DISK_BI, diskRequest(SOURCE_DISK), "UserErrorSameNameDiskAlreadyExists");
  });

  test("a disk a failed restore was to create does not exist", async () => {
    emu.control.setFaults([{ kind: "jobFails", count: 1 }]);
    const job = await expectAccepted(emu, DISK_BI, diskRequest(diskId("appdisk01-retry")));
    expect(await jobStatusAfter(emu, job.id, 300)).toBe("Failed");
    expect((await getDisk(diskId("appdisk01-retry"))).status).toBe(404);
    await expectAccepted(emu, DISK_BI, diskRequest(diskId("appdisk01-retry")));
  });

  test("a target resource group that does not exist fails UserErrorRestoreTargetRGNotFound", async () => {
    await expectViolation(emu, DISK_BI, diskRequest(diskId("appdisk01-restored", "norg")), "UserErrorRestoreTargetRGNotFound");
  });

  test("a recovery point whose snapshot was deleted fails UserErrorDiskSnapshotNotFound; the others restore", async () => {
    emu.control.loadWorld(
      editedWorld((w) => {
        const bi = w.vaults?.[0].backupInstances?.find((b) => b.name.startsWith("appdisk01-"));
        const point = bi?.recoveryPoints?.find((p) => p.id === LATEST);
        if (point) point.snapshotDeleted = true;
      }),
    );
    await expectViolation(emu, DISK_BI, diskRequest(diskId("appdisk01-restored")), "UserErrorDiskSnapshotNotFound");
    await expectAccepted(emu, DISK_BI, diskRequest(diskId("appdisk01-restored"), "5e0b192a3c4d4e5f6071829304a5b6c7"));
  });
});

describe("GET .../Microsoft.Compute/disks/{name}", () => {
  test("serves the world's disks at any api-version, logged as getDisk", async () => {
    for (const version of ["2022-07-02", "2024-03-02"]) {
      const disk = await getDisk(SOURCE_DISK, version);
      expect(disk.status, disk.text).toBe(200);
      expect(disk.body).toEqual({ id: SOURCE_DISK, name: "appdisk01", type: "Microsoft.Compute/disks", location: "westus", properties: { provisioningState: "Succeeded", diskSizeGB: 128 } });
    }
    expect(emu.control.requestLog({ route: "getDisk" }).map((e) => e.apiVersion)).toEqual(["2022-07-02", "2024-03-02"]);
  });

  test("a disk nobody made is ARM's 404 ResourceNotFound; an unknown resource group ResourceGroupNotFound; no api-version is refused", async () => {
    const missing = await getDisk(diskId("nothere"));
    expect(missing.status).toBe(404);
    expect(missing.body.error).toEqual({
      code: "ResourceNotFound",
      message: "The Resource 'Microsoft.Compute/disks/nothere' under resource group 'targetrg' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix",
    });
    expect((await getDisk(diskId("x", "norg"))).body.error?.code).toBe("ResourceGroupNotFound");
    const unversioned = await call<CloudError>(emu, "GET", diskId("x"));
    expect(unversioned.body.error?.code).toBe("MissingApiVersionParameter");
    // the Data Protection routes still check theirs
    expect((await call<CloudError>(emu, "GET", `${DISK_BI}?api-version=2022-07-02`)).body.error?.code).toBe("NoRegisteredProviderFound");
  });
});
