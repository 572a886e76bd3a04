// The link contract suite against the mock link.
import { linkContractSuite } from './contract-suite.js';
import { MockLinkProvider } from './mock.js';

linkContractSuite('mock', async () => {
  const provider = new MockLinkProvider();
  const device = provider.device('/dev/ttyMOCK');
  return {
    open: () => provider.open({ url: new URL('mock:///dev/ttyMOCK') }),
    deviceSend: async (bytes) => device.send(bytes),
    deviceReceived: () => Buffer.concat(device.written),
    unplug: async () => device.unplug(),
    replug: async () => device.plugIn(),
    cleanup: async () => undefined,
  };
});
