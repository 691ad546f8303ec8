import fs from 'node:fs';

/** CPU time (user + system, ms) a process has used so far, from /proc (Linux); NaN elsewhere. */
export function cpuMs(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop().split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

/**
 * Write and read system calls a process has made so far (`syscw`, `syscr` of /proc/<pid>/io, Linux;
 * NaN elsewhere). Every socket write of the process is one (a Redis command, a PostgreSQL statement,
 * an SMTP exchange's batch of lines), and on a virtual machine each costs tens to hundreds of µs.
 */
export function syscalls(pid) {
  try {
    const io = fs.readFileSync(`/proc/${pid}/io`, 'utf8');
    const field = (name) => Number(new RegExp(`^${name}:\\s*(\\d+)`, 'm').exec(io)?.[1] ?? NaN);
    return { writes: field('syscw'), reads: field('syscr') };
  } catch {
    return { writes: NaN, reads: NaN };
  }
}
