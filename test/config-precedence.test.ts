// Precedence, highest first: flags, environment, INI, defaults — with the origin of each value.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { load, TempDir } from './support/config-fixtures.js';

const dir = new TempDir();
after(() => dir.remove());

const ini = dir.file('precedence.ini', '[log]\nlevel = warn\n\n[output.mesh]\nurl = udp://239.2.3.1:6969\nttl = 3\n');

function level(args: string[], env: NodeJS.ProcessEnv): { value: unknown; origin: unknown } | undefined {
  return load(args, env).sections.get('log')?.get('level');
}

describe('precedence', () => {
  it('default when nothing sets it', () => {
    assert.deepEqual(level([], {}), { value: 'info', origin: { layer: 'default' } });
  });
  it('INI over default', () => {
    assert.deepEqual(level(['-c', ini], {}), { value: 'warn', origin: { layer: 'ini', file: ini, line: 2, written: 'level' } });
  });
  it('environment over INI', () => {
    assert.deepEqual(level(['-c', ini], { TAKD_LOG_LEVEL: 'error' }), { value: 'error', origin: { layer: 'env', name: 'TAKD_LOG_LEVEL' } });
  });
  it('flag over environment and INI', () => {
    assert.deepEqual(level(['-c', ini, '--log-level', 'debug'], { TAKD_LOG_LEVEL: 'error' }), { value: 'debug', origin: { layer: 'flag', flag: '--log-level' } });
  });
  it('--set over environment, the last flag wins', () => {
    const value = level(['-c', ini, '--set', 'log.level=trace', '--set', 'log.level=error'], { TAKD_LOG_LEVEL: 'warn' });
    assert.equal(value?.value, 'error');
  });
  it('TAKD_CONFIG names the file; -c wins over it', () => {
    const other = dir.file('other.ini', '[log]\nlevel = error\n');
    assert.equal(level([], { TAKD_CONFIG: ini })?.value, 'warn');
    assert.equal(level(['-c', other], { TAKD_CONFIG: ini })?.value, 'error');
  });
  it('named sections: the environment adds a key to a section from the file', () => {
    const config = load(['-c', ini], { TAKD_OUTPUT_MESH_INTERFACE: 'eth1' });
    assert.deepEqual(config.sections.get('output.mesh')?.get('interface')?.value, ['eth1']);
    assert.equal(config.sections.get('output.mesh')?.get('ttl')?.value, 3);
  });
  it('an environment name reaches a section whose name has a dash', () => {
    const file = dir.file('dash.ini', '[output.tak-server]\nurl = tcp://127.0.0.1:8087\n');
    const config = load(['-c', file], { TAKD_OUTPUT_TAK_SERVER_MAX_QUEUE: '7' });
    assert.equal(config.sections.get('output.tak-server')?.get('max_queue')?.value, 7);
    assert.equal(config.sections.has('output.tak_server'), false);
  });
  it('TAKD_ variables of other tools are ignored with a warning; TAKD_CONFIG and TAKD_ADDON_DIR silently', () => {
    const config = load([], { TAKD_PEER: '1', TAKD_ADDON_DIR: '/usr/lib/takd' });
    assert.deepEqual(config.warnings, ['environment: TAKD_PEER: not a takd setting; ignored']);
  });
  it('a whole output from the environment alone', () => {
    const config = load([], { TAKD_OUTPUT_SERVER_URL: 'tls://tak.example.org:8089', TAKD_OUTPUT_SERVER_PASSWORD_FILE: '/etc/takd/p' });
    const server = config.sections.get('output.server');
    assert.equal(server?.get('url')?.value, 'tls://tak.example.org:8089');
    assert.equal(server?.get('password_file')?.value, '/etc/takd/p');
  });
});

describe('PyTAK keys against takd keys', () => {
  it('an environment PyTAK key beats an INI takd key', () => {
    const ttl = load(['-c', ini], { PYTAK_MULTICAST_TTL: '5' }).sections.get('output.mesh')?.get('ttl');
    assert.deepEqual(ttl, { value: 5, origin: { layer: 'env', name: 'PYTAK_MULTICAST_TTL' } });
  });
  it('an INI takd key beats an INI PyTAK key; the PyTAK key fills the others', () => {
    const file = dir.file('both.ini', '[pytak]\nPYTAK_MULTICAST_TTL = 7\n\n[output.mesh]\nurl = udp://239.2.3.1:6969\nttl = 2\n\n[output.lan]\nurl = udp://239.2.3.2:6969\n');
    const config = load(['-c', file]);
    assert.equal(config.sections.get('output.mesh')?.get('ttl')?.value, 2);
    assert.equal(config.sections.get('output.lan')?.get('ttl')?.value, 7);
  });
  it('a flag beats an environment PyTAK key', () => {
    const config = load(['-c', ini, '--set', 'output.mesh.ttl=9'], { PYTAK_MULTICAST_TTL: '5' });
    assert.equal(config.sections.get('output.mesh')?.get('ttl')?.value, 9);
  });
  it('PYTAK_NO_HELLO is the inverse of hello', () => {
    const config = load(['-c', ini], { PYTAK_NO_HELLO: 'yes' });
    assert.equal(config.sections.get('output.mesh')?.get('hello')?.value, false);
  });
  it('DEBUG=1 sets the log level, unless a higher layer sets it', () => {
    assert.equal(level(['-c', ini], { DEBUG: '1' })?.value, 'debug');
    assert.equal(level(['-c', ini, '--log-level', 'warn'], { DEBUG: '1' })?.value, 'warn');
  });
});
