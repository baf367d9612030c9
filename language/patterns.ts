/**
 * Regular expressions (as sources, so the JSON Schema can carry them too) for every string a spec
 * holds. ARM treats the fixed segments of a resource ID case-insensitively, and JSON Schema has no
 * `i` flag, so those segments are spelled as character classes.
 */
function ci(word: string): string {
  return word
    .split("")
    .map((c) => (/[a-z]/i.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")))
    .join("");
}

export const GUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
/** Resource group names: ASCII letters, digits, `._()-`, not ending in a period (Unicode look-alikes are refused on purpose). */
export const RESOURCE_GROUP = "[A-Za-z0-9._()-]{0,89}[A-Za-z0-9_()-]";
export const VAULT_NAME = "[A-Za-z][A-Za-z0-9-]{0,48}[A-Za-z0-9]";
export const BACKUP_INSTANCE_NAME = "[A-Za-z0-9][A-Za-z0-9._-]{0,199}";
export const STORAGE_ACCOUNT_NAME = "[a-z0-9]{3,24}";
export const POSTGRESQL_SERVER_NAME = "[a-z0-9][a-z0-9-]{1,61}[a-z0-9]";
export const POSTGRESQL_DATABASE_NAME = "[A-Za-z_][A-Za-z0-9_$-]{0,62}";
/** Managed disk names: 1-80 letters, digits, underscores and hyphens (Azure's resource-name-rules, Microsoft.Compute/disks). */
export const DISK_NAME = "[A-Za-z0-9_-]{1,80}";
/** A blob container name inside an ARM ID or URL (3-63 lowercase letters, digits, single hyphens; `$root`). */
const CONTAINER = "[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]|\\$root";

const providers = `/${ci("providers")}/`;
const subscriptionPrefix = `/${ci("subscriptions")}/(${GUID})/${ci("resourceGroups")}/(${RESOURCE_GROUP})`;

export const BACKUP_INSTANCE_ID = `^${subscriptionPrefix}${providers}${ci("Microsoft.DataProtection")}/${ci("backupVaults")}/(${VAULT_NAME})/${ci("backupInstances")}/(${BACKUP_INSTANCE_NAME})$`;
export const STORAGE_ACCOUNT_ID = `^${subscriptionPrefix}${providers}${ci("Microsoft.Storage")}/${ci("storageAccounts")}/(${STORAGE_ACCOUNT_NAME})$`;
export const POSTGRESQL_DATABASE_ID = `^${subscriptionPrefix}${providers}${ci("Microsoft.DBforPostgreSQL")}/${ci("servers")}/(${POSTGRESQL_SERVER_NAME})/${ci("databases")}/(${POSTGRESQL_DATABASE_NAME})$`;
export const DISK_ID = `^${subscriptionPrefix}${providers}${ci("Microsoft.Compute")}/${ci("disks")}/(${DISK_NAME})$`;
/** A blob container's ARM ID: `…/storageAccounts/<account>/blobServices/default/containers/<container>`. */
export const BLOB_CONTAINER_ID = `^${subscriptionPrefix}${providers}${ci("Microsoft.Storage")}/${ci("storageAccounts")}/(${STORAGE_ACCOUNT_NAME})/${ci("blobServices")}/${ci("default")}/${ci("containers")}/(${CONTAINER})$`;
export const POSTGRESQL_FLEXIBLE_DATABASE_ID = `^${subscriptionPrefix}${providers}${ci("Microsoft.DBforPostgreSQL")}/${ci("flexibleServers")}/`;

/** AKS cluster names (the AKS REST reference): 1-63 letters, digits, `_-`, starting and ending with a letter or digit. */
export const AKS_CLUSTER_NAME = "[a-zA-Z0-9](?:[-_a-zA-Z0-9]{0,61}[a-zA-Z0-9])?";
/** Elastic SAN names (Azure Verified Modules): lowercase letters and digits, single `-`/`_` between them; 3-24. */
export const ELASTIC_SAN_NAME = "(?=[a-z0-9_-]{3,24}/)[a-z0-9]+(?:[-_][a-z0-9]+)*";
/** Elastic SAN volume groups: lowercase letters and digits, single `-` between them; 3-63. */
export const ELASTIC_SAN_VOLUME_GROUP_NAME = "(?=[a-z0-9-]{3,63}$)[a-z0-9]+(?:-[a-z0-9]+)*";
/** Elastic SAN volumes: lowercase letters and digits, single `-`/`_` between them; 3-63. */
export const ELASTIC_SAN_VOLUME_NAME = "^(?=[a-z0-9_-]{3,63}$)[a-z0-9]+(?:[-_][a-z0-9]+)*$";
/** Cosmos DB account names (PSRule for Azure): 3-44 lowercase letters, digits and `-`, starting and ending with a letter or digit. */
export const COSMOS_ACCOUNT_NAME = "[a-z0-9][a-z0-9-]{1,42}[a-z0-9]";

export const RESOURCE_GROUP_ID = `^${subscriptionPrefix}$`;
export const AKS_CLUSTER_ID = `^${subscriptionPrefix}${providers}${ci("Microsoft.ContainerService")}/${ci("managedClusters")}/(${AKS_CLUSTER_NAME})$`;
export const ELASTIC_SAN_VOLUME_GROUP_ID = `^${subscriptionPrefix}${providers}${ci("Microsoft.ElasticSan")}/${ci("elasticSans")}/(${ELASTIC_SAN_NAME})/${ci("volumeGroups")}/(${ELASTIC_SAN_VOLUME_GROUP_NAME})$`;
/** User-assigned managed identity names: 3-128 letters, digits, `-` and `_`, starting with a letter or digit. */
export const USER_ASSIGNED_IDENTITY_NAME = "[A-Za-z0-9][A-Za-z0-9_-]{2,127}";
export const USER_ASSIGNED_IDENTITY_ID = `^${subscriptionPrefix}${providers}${ci("Microsoft.ManagedIdentity")}/${ci("userAssignedIdentities")}/(${USER_ASSIGNED_IDENTITY_NAME})$`;
export const COSMOS_ACCOUNT_ID = `^${subscriptionPrefix}${providers}${ci("Microsoft.DocumentDB")}/${ci("databaseAccounts")}/(${COSMOS_ACCOUNT_NAME})$`;

/** Kubernetes namespace names: RFC 1123 labels (kubernetes.io, "Namespaces"). */
export const K8S_NAMESPACE = "^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$";
/** Kubernetes object names: RFC 1123 subdomains, up to 253 characters (kubernetes.io, "Object Names and IDs"). */
export const K8S_OBJECT_NAME = "^(?=.{1,253}$)[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$";
const K8S_LABEL_KEY = "(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?";
const K8S_LABEL_VALUE = "(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?";
const K8S_REQUIREMENT =
  `(?:!?${K8S_LABEL_KEY}|${K8S_LABEL_KEY} *(?:=|==|!=) *${K8S_LABEL_VALUE}|${K8S_LABEL_KEY} +(?:in|notin) +\\( *${K8S_LABEL_VALUE}(?: *, *${K8S_LABEL_VALUE})* *\\))`;
/** A Kubernetes label selector (kubernetes.io, "Labels and Selectors"): requirements separated by commas, e.g. `app=web,tier!=cache`. */
export const K8S_LABEL_SELECTOR = `^${K8S_REQUIREMENT}(?: *, *${K8S_REQUIREMENT})*$`;

/** Key Vault secret URL, public and sovereign clouds, with an optional version. */
export const KEY_VAULT_SECRET_URI =
  "^https://[A-Za-z](?:[A-Za-z0-9]|-(?!-)){1,22}[A-Za-z0-9]\\.vault\\.(?:azure\\.net|azure\\.cn|usgovcloudapi\\.net|microsoftazure\\.de)/secrets/[A-Za-z0-9-]{1,127}(?:/[0-9a-fA-F]{32})?/?$";
/** Blob container URL (public and sovereign clouds). */
export const BLOB_CONTAINER_URL =
  "^https://[a-z0-9]{3,24}\\.blob\\.core\\.(?:windows\\.net|chinacloudapi\\.cn|usgovcloudapi\\.net)/(?:[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]|\\$root)/?$";

export const CONTAINER_NAME = "^(?:[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]|\\$root|\\$web)$";
/** `container/prefix` for vaulted-tier prefix restores. */
export const CONTAINER_PREFIX = "^(?:[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]|\\$root|\\$web)/[^\\u0000-\\u001f]{1,1024}$";
/** A blob name prefix inside a container (vaulted-tier item restores). */
export const BLOB_PREFIX = "^[^\\u0000-\\u001f]{1,1024}$";
/** A blob range bound: printable, no control characters. */
export const BLOB_RANGE_BOUND = "^[^\\u0000-\\u001f\\u007f]{1,1024}$";

/** ISO 8601 date-time in UTC, as Azure takes it (`Z` or `+00:00`, up to 7 fraction digits). */
export const UTC_DATE_TIME = "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,7})?(?:Z|\\+00:00)$";
export const ISO_DURATION = "^P(?!$)(?:\\d+Y)?(?:\\d+M)?(?:\\d+W)?(?:\\d+D)?(?:T(?=\\d)(?:\\d+H)?(?:\\d+M)?(?:\\d+(?:\\.\\d+)?S)?)?$";
export const AZURE_REGION = "^[a-z][a-z0-9]{2,39}$";
export const SPEC_NAME = "^[a-z0-9-]{1,63}$";
export const RECOVERY_POINT_ID = "^[A-Za-z0-9-]{1,128}$";
