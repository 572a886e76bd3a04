// `takd serial list`: the serial devices on this machine, their stable paths, USB ids and
// the driver each looks like, so that a config's `link = serial://…` can be written.
import { EXIT_OK, EXIT_USAGE, type CliIo } from './command.js';
import { drivers, listSerialDevices, type DeviceInfo } from '../../hal/index.js';

const HELP = `Usage: takd serial list [--json]

Lists serial devices (USB adapters, GNSS receivers, TNCs, radios) with the path to put in a
link URL (the stable /dev/serial/by-id/ name when udev made one), the kernel node, USB
vendor:product ids, manufacturer, and the takd driver the device looks like.

Options:
  --json      one JSON object per device
  -h, --help  this text

Example:
  takd serial list
  # then in /etc/takd/takd.ini:  link = serial:///dev/serial/by-id/usb-u-blox_GNSS-if00?baud=9600
`;

function row(device: DeviceInfo): string[] {
  const ids = device.vendorId ? `${device.vendorId}:${device.productId ?? '????'}` : '-';
  return [device.path, device.node, ids, device.manufacturer ?? '-', device.likelyDriver ?? '-'];
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')).join('\n') + '\n';
}

export async function main(args: string[], io: CliIo): Promise<number> {
  if (args.includes('-h') || args.includes('--help')) {
    io.stdout.write(HELP);
    return EXIT_OK;
  }
  const json = args.includes('--json');
  const rest = args.filter((a) => a !== '--json');
  if (rest.length !== 1 || rest[0] !== 'list') {
    io.stderr.write(`takd serial: expected 'list'\n\n${HELP}`);
    return EXIT_USAGE;
  }
  const devices = await listSerialDevices(drivers);
  if (json) {
    for (const device of devices) io.stdout.write(`${JSON.stringify(device)}\n`);
  } else if (devices.length === 0) {
    io.stdout.write('no serial devices found\n');
  } else {
    io.stdout.write(table([['PATH', 'NODE', 'USB ID', 'MANUFACTURER', 'LOOKS LIKE'], ...devices.map(row)]));
  }
  return EXIT_OK;
}
