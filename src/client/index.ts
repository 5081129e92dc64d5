// The Client facade: Networks, Services and Paths without writing a stack (the seed's
// `client.network/service/paths`), recorded in a workspace file and deployed with Terraform.
export { Client, assertRealCloudEnvironment } from './client';
export type { ClientOptions, NetworkCreateOptions, ServiceCreateOptions, PathOptions, DestroyOptions } from './client';
export { TARGETS, WORKSPACE_FILE, readWorkspace } from './workspace';
export type { Target, Workspace, WorkspaceNetwork, WorkspaceService, WorkspacePath } from './workspace';
export { stackName } from './stack-names';
export type { NetworkStack } from './stack-names';
export { parseVarAssignments, readVarFile } from './vars';
export type { NetworkInfo, ServiceInfo, InstanceInfo, PathInfo, SubnetInfo } from '../inventory/types';
