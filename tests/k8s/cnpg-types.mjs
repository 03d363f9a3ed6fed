// The part of the CloudNativePG v1 API that PDPS uses (Cluster, ScheduledBackup),
// transcribed from the CloudNativePG API reference in the same form as the Kubernetes
// client's models: field → type. There is no CloudNativePG schema package in the
// registries we can reach; a field we start using must be added here first, which keeps
// the check strict (unknown fields are errors).
const L = (fields) => ({ fields });

export const cnpgTypes = {
  Cluster: L({
    apiVersion: "string", kind: "string", metadata: "V1ObjectMeta", spec: "ClusterSpec",
    status: "object",
  }),
  ClusterSpec: L({
    instances: "number", imageName: "string", primaryUpdateStrategy: "string",
    primaryUpdateMethod: "string", storage: "StorageConfiguration",
    walStorage: "StorageConfiguration", postgresql: "PostgresConfiguration",
    bootstrap: "BootstrapConfiguration", managed: "ManagedConfiguration",
    monitoring: "MonitoringConfiguration", resources: "V1ResourceRequirements",
    backup: "BackupConfiguration", affinity: "AffinityConfiguration",
    enableSuperuserAccess: "boolean", superuserSecret: "LocalObjectReference",
    description: "string", minSyncReplicas: "number", maxSyncReplicas: "number",
  }),
  StorageConfiguration: L({ size: "string", storageClass: "string", resizeInUseVolumes: "boolean" }),
  PostgresConfiguration: L({
    parameters: "{ [key: string]: string; }", pg_hba: "Array<string>",
    shared_preload_libraries: "Array<string>",
  }),
  BootstrapConfiguration: L({ initdb: "BootstrapInitDB", recovery: "object", pg_basebackup: "object" }),
  BootstrapInitDB: L({
    database: "string", owner: "string", secret: "LocalObjectReference",
    postInitSQL: "Array<string>", postInitApplicationSQL: "Array<string>",
    postInitTemplateSQL: "Array<string>", encoding: "string", localeCollate: "string",
    localeCType: "string", dataChecksums: "boolean",
  }),
  ManagedConfiguration: L({ roles: "Array<RoleConfiguration>" }),
  RoleConfiguration: L({
    name: "string", comment: "string", ensure: "string", login: "boolean",
    superuser: "boolean", createdb: "boolean", createrole: "boolean", inherit: "boolean",
    replication: "boolean", bypassrls: "boolean", connectionLimit: "number",
    validUntil: "string", inRoles: "Array<string>", passwordSecret: "LocalObjectReference",
    disablePassword: "boolean",
  }),
  LocalObjectReference: L({ name: "string" }),
  MonitoringConfiguration: L({
    enablePodMonitor: "boolean", disableDefaultQueries: "boolean",
    customQueriesConfigMap: "Array<object>", customQueriesSecret: "Array<object>",
  }),
  AffinityConfiguration: L({
    enablePodAntiAffinity: "boolean", topologyKey: "string", podAntiAffinityType: "string",
    nodeSelector: "{ [key: string]: string; }",
  }),
  BackupConfiguration: L({
    retentionPolicy: "string", barmanObjectStore: "BarmanObjectStoreConfiguration",
    target: "string",
  }),
  BarmanObjectStoreConfiguration: L({
    destinationPath: "string", endpointURL: "string", serverName: "string",
    s3Credentials: "S3Credentials", wal: "WalBackupConfiguration",
    data: "DataBackupConfiguration",
  }),
  S3Credentials: L({
    accessKeyId: "SecretKeySelector", secretAccessKey: "SecretKeySelector",
    region: "SecretKeySelector", sessionToken: "SecretKeySelector",
    inheritFromIAMRole: "boolean",
  }),
  SecretKeySelector: L({ name: "string", key: "string" }),
  WalBackupConfiguration: L({ compression: "string", encryption: "string", maxParallel: "number" }),
  DataBackupConfiguration: L({
    compression: "string", encryption: "string", jobs: "number", immediateCheckpoint: "boolean",
  }),
  ScheduledBackup: L({
    apiVersion: "string", kind: "string", metadata: "V1ObjectMeta",
    spec: "ScheduledBackupSpec", status: "object",
  }),
  ScheduledBackupSpec: L({
    schedule: "string", cluster: "LocalObjectReference", backupOwnerReference: "string",
    immediate: "boolean", suspend: "boolean", method: "string", target: "string",
  }),
};

// Values the API restricts to a set.
export const cnpgEnums = {
  "ClusterSpec.primaryUpdateStrategy": ["unsupervised", "supervised"],
  "RoleConfiguration.ensure": ["present", "absent"],
  "ScheduledBackupSpec.backupOwnerReference": ["none", "self", "cluster"],
  "WalBackupConfiguration.compression": ["gzip", "bzip2", "snappy"],
  "DataBackupConfiguration.compression": ["gzip", "bzip2", "snappy"],
};
