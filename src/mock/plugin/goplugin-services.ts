import * as grpc from '@grpc/grpc-js';
import { log } from '../log';
import { PluginServices } from '../proto/load';

/**
 * The services a go-plugin client expects next to the plugin's own: the controller (Shutdown),
 * the stdio and broker streams (opened by the client, unused here) and the gRPC health check
 * (the client's ping).
 */

type OpenStream = grpc.ServerWritableStream<object, object> | grpc.ServerDuplexStream<object, object>;

/** Handle on the added services. */
export interface GoPluginServices {
  /** End the streams the client keeps open, so that a graceful server shutdown can complete. */
  endStreams(): void;
}

/**
 * Add the go-plugin services to `server`. `onShutdown` runs after GRPCController.Shutdown has
 * been answered (omit it to ignore Shutdown, as a reattach daemon must).
 */
export function addGoPluginServices(server: grpc.Server, services: PluginServices, onShutdown?: () => void): GoPluginServices {
  const streams = new Set<OpenStream>();
  const hold = (call: OpenStream): void => {
    streams.add(call);
    call.on('error', () => undefined);
    call.on('cancelled', () => streams.delete(call));
  };
  const endStreams = (): void => {
    for (const call of streams) call.end();
    streams.clear();
  };

  let shuttingDown = false;
  server.addService(services.controller, {
    Shutdown: (_call: unknown, callback: grpc.sendUnaryData<object>) => {
      log('GRPCController.Shutdown');
      callback(null, {});
      if (!onShutdown || shuttingDown) return;
      shuttingDown = true;
      // Go once the reply has left (a graceful shutdown waits for it), but no later: Terraform
      // waits for the process to end before it goes on.
      const done = once(onShutdown);
      endStreams();
      server.tryShutdown(done);
      setTimeout(done, 500).unref();
    },
  });
  server.addService(services.stdio, {
    // Logs go to stderr directly; the stream stays open, sending nothing, until shutdown.
    StreamStdio: hold,
  });
  server.addService(services.broker, {
    StartStream: (call: grpc.ServerDuplexStream<object, object>) => {
      hold(call);
      call.on('data', () => undefined);
      call.on('end', () => {
        streams.delete(call);
        call.end();
      });
    },
  });
  server.addService(services.health, {
    Check: (_call: unknown, callback: grpc.sendUnaryData<object>) => callback(null, { status: 1 }), // SERVING
    Watch: (call: grpc.ServerWritableStream<object, object>) => {
      hold(call);
      call.write({ status: 1 });
    },
  });
  return { endStreams };
}

/** `fn`, callable any number of times, running once. */
function once(fn: () => void): () => void {
  let called = false;
  return () => {
    if (!called) {
      called = true;
      fn();
    }
  };
}
