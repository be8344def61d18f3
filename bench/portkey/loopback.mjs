// Preloaded into Portkey's Node process (node --import) so that it listens on 127.0.0.1 only, like every other
// server of the benchmark: its start-server.js calls serve({ port }) without a hostname, which @hono/node-server
// turns into server.listen(port, undefined, callback), i.e. every interface.
import net from 'node:net';

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' && (args[1] === undefined || typeof args[1] === 'function')) {
    args.splice(1, args[1] === undefined ? 1 : 0, '127.0.0.1');
  }
  return listen.apply(this, args);
};
