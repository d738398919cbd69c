import { readdir, readFile, readlink } from 'node:fs/promises';

/**
 * Who listens on a TCP port of this host, from /proc: the socket's inode in /proc/net/tcp{,6}, then
 * the process with that socket among its open files. Undefined when /proc says nothing we may read
 * (another user's processes, a kernel without /proc).
 */
export async function hostProcessOnPort(port: number, proc = '/proc'): Promise<string | undefined> {
  const inodes = new Set<string>();
  for (const table of ['net/tcp', 'net/tcp6']) {
    const text = await readFile(`${proc}/${table}`, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const local = fields[1];
      // st 0A: LISTEN
      if (!local || fields[3] !== '0A' || parseInt(local.slice(local.lastIndexOf(':') + 1), 16) !== port)
        continue;
      if (fields[9] && fields[9] !== '0') inodes.add(fields[9]);
    }
  }
  if (inodes.size === 0) return undefined;
  const pids = (await readdir(proc).catch(() => [])).filter((name) => /^\d+$/.test(name));
  for (const pid of pids) {
    const fds = await readdir(`${proc}/${pid}/fd`).catch(() => []);
    for (const fd of fds) {
      const target = await readlink(`${proc}/${pid}/fd/${fd}`).catch(() => '');
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode && inodes.has(inode)) {
        const command = (await readFile(`${proc}/${pid}/comm`, 'utf8').catch(() => '')).trim();
        return `process ${command || '?'} (pid ${pid})`;
      }
    }
  }
  return undefined;
}
