// A child process that start.mjs, test.mjs and infra.mjs own: output split into lines (kept as a
// tail for error messages), a stop() that escalates SIGTERM → SIGKILL, and a last-resort kill when
// this Node process exits so nothing we started outlives us by accident.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import readline from 'node:readline';

const live = new Set();
let exitHookInstalled = false;

function installExitHook() {
  if (exitHookInstalled) {
    return;
  }
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous: process.kill is. Normally every child was already stopped
  // in order; this only catches crashes of the script itself.
  process.on('exit', () => {
    for (const child of live) {
      child.killNow('SIGKILL');
    }
  });
}

export class ManagedProcess {
  /**
   * @param {string} name shown in messages
   * @param {string} command
   * @param {string[]} args
   * @param {object} [options]
   * @param {NodeJS.ProcessEnv} [options.env]
   * @param {string} [options.cwd]
   * @param {number} [options.uid]
   * @param {number} [options.gid]
   * @param {boolean} [options.detached] own process group: a terminal's Ctrl-C does not reach it, so
   *   the owner decides the order of shutdown (services before the database they use).
   * @param {(line: string, stream: 'stdout' | 'stderr') => void} [options.onLine]
   * @param {string} [options.logFile] every line is also appended here
   * @param {number} [options.tail] how many last lines to keep (default 200)
   */
  constructor(name, command, args, options = {}) {
    this.name = name;
    this.command = command;
    this.args = args;
    this.options = options;
    this.lines = [];
    this.tailSize = options.tail ?? 200;
    this.child = undefined;
    this.exitInfo = undefined;
    this.exited = undefined;
    this.stopping = false;
  }

  start() {
    installExitHook();
    const { env, cwd, uid, gid, detached = false, logFile } = this.options;
    // A server's output may hold codes or addresses: its log is readable by us alone.
    const logStream = logFile ? fs.createWriteStream(logFile, { flags: 'a', mode: 0o600 }) : undefined;
    if (logFile) {
      try {
        fs.chmodSync(logFile, 0o600);
      } catch {
        // Not created yet: the stream creates it 0600.
      }
    }
    const child = spawn(this.command, this.args, {
      env,
      cwd,
      uid,
      gid,
      detached,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    // start() again after an exit (a supervisor's restart) begins a new life.
    this.exitInfo = undefined;
    live.add(this);
    const onLine = (stream) => (line) => {
      this.lines.push(line);
      if (this.lines.length > this.tailSize) {
        this.lines.shift();
      }
      logStream?.write(`${line}\n`);
      this.options.onLine?.(line, stream);
    };
    readline.createInterface({ input: child.stdout }).on('line', onLine('stdout'));
    readline.createInterface({ input: child.stderr }).on('line', onLine('stderr'));
    this.exited = new Promise((resolve) => {
      const finish = (code, signal) => {
        if (this.exitInfo) {
          return;
        }
        this.exitInfo = { code, signal };
        live.delete(this);
        logStream?.end();
        resolve(this.exitInfo);
      };
      child.on('exit', finish);
      child.on('error', (error) => {
        this.lines.push(`failed to start ${this.command}: ${error.message}`);
        finish(127, null);
      });
    });
    return this;
  }

  get pid() {
    return this.child?.pid;
  }

  get running() {
    return this.child !== undefined && this.exitInfo === undefined;
  }

  tail(count = 20) {
    return this.lines.slice(-count);
  }

  describeExit() {
    if (!this.exitInfo) {
      return 'still running';
    }
    return this.exitInfo.signal ? `killed by ${this.exitInfo.signal}` : `exit code ${this.exitInfo.code}`;
  }

  killNow(signal) {
    if (!this.running || this.child.pid === undefined) {
      return;
    }
    try {
      // A detached child leads its own process group: signal the group so helpers it spawned go too.
      process.kill(this.options.detached ? -this.child.pid : this.child.pid, signal);
    } catch {
      try {
        process.kill(this.child.pid, signal);
      } catch {
        // Already gone.
      }
    }
  }

  /** Asks the process to stop, waits, and kills it after `timeoutMs`. */
  async stop({ signal = 'SIGTERM', timeoutMs = 10_000 } = {}) {
    if (!this.running) {
      return this.exitInfo;
    }
    this.stopping = true;
    this.killNow(signal);
    let timer;
    const killed = new Promise((resolve) => {
      timer = setTimeout(() => {
        this.killNow('SIGKILL');
        resolve();
      }, timeoutMs);
    });
    await Promise.race([this.exited, killed]);
    clearTimeout(timer);
    return this.exited;
  }
}

/** Runs a command to completion with inherited output; resolves with its exit code. */
export function runCommand(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      stdio: options.stdio ?? 'inherit',
      env: options.env,
      cwd: options.cwd,
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    child.on('error', () => resolve(127));
  });
}
