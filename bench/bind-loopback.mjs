// Preload (node --import) for the Portkey gateway, whose server listens on every interface and takes no
// host option: a listen on a bare port binds 127.0.0.1 instead, so the benchmark exposes nothing.
import net from 'node:net';

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' && (args[1] === undefined || args[1] === null || typeof args[1] === 'function')) {
    return listen.call(this, args[0], '127.0.0.1', ...args.slice(1).filter((a) => typeof a === 'function'));
  }
  if (args[0] && typeof args[0] === 'object' && args[0].port !== undefined && !args[0].host) {
    return listen.call(this, { ...args[0], host: '127.0.0.1' }, ...args.slice(1));
  }
  return listen.apply(this, args);
};
