import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/**
 * The gRPC service definitions, from the .proto files next to this module (a bundled build copies
 * them next to the bundle, where `__dirname` then points).
 *
 * Messages are plain objects with the .proto field names; enums as numbers, 64-bit integers as JS
 * numbers, bytes as Buffers, unset fields as their defaults.
 */

/** The services the plugin server registers. */
export interface PluginServices {
  readonly provider: grpc.ServiceDefinition;
  readonly controller: grpc.ServiceDefinition;
  readonly stdio: grpc.ServiceDefinition;
  readonly broker: grpc.ServiceDefinition;
  readonly health: grpc.ServiceDefinition;
}

const OPTIONS: protoLoader.Options = { keepCase: true, longs: Number, enums: Number, bytes: Buffer, defaults: true, oneofs: true };

let loaded: PluginServices | undefined;

/** Load (once per process) and return the service definitions. */
export function pluginServices(protoDir: string = __dirname): PluginServices {
  if (!loaded) {
    const definition = protoLoader.loadSync(['tfplugin6.proto', 'goplugin.proto', 'health.proto'].map((f) => path.join(protoDir, f)), OPTIONS);
    const service = (name: string): grpc.ServiceDefinition => definition[name] as grpc.ServiceDefinition;
    loaded = {
      provider: service('tfplugin6.Provider'),
      controller: service('plugin.GRPCController'),
      stdio: service('plugin.GRPCStdio'),
      broker: service('plugin.GRPCBroker'),
      health: service('grpc.health.v1.Health'),
    };
  }
  return loaded;
}
