// Folders and files that hold Mamori's local data, secrets and sockets, made so that another local
// user cannot read them or redirect them: 0700 folders and 0600 files, owned by the OS user the
// servers run as, and never reached through a symbolic link someone planted at the expected name.
//
// Each folder is opened with O_NOFOLLOW | O_DIRECTORY and its owner and mode are set on that open
// descriptor (fchown/fchmod), so a symlink swapped in between a check and a change gains nothing.
// Plain Node ESM, built-ins only.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const { O_RDONLY, O_DIRECTORY, O_NOFOLLOW } = fs.constants;

const myUid = () => (typeof process.getuid === 'function' ? process.getuid() : undefined);

/**
 * Opens `dir` without following a symbolic link, checks it is a folder owned by us or by `owner`,
 * and makes it `mode` (0700) and owned by `owner` (when given; only root may give it away).
 */
function secureOpenedDir(dir, owner, mode = 0o700) {
  let fd;
  try {
    fd = fs.openSync(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  } catch (error) {
    if (error.code === 'ELOOP' || error.code === 'ENOTDIR') {
      throw new Error(`refusing to use ${dir}: it is a symbolic link or not a folder`);
    }
    throw error;
  }
  try {
    const stat = fs.fstatSync(fd);
    const allowed = new Set([myUid(), owner?.uid].filter((uid) => uid !== undefined));
    if (allowed.size > 0 && !allowed.has(stat.uid)) {
      throw new Error(`refusing to use ${dir}: it belongs to another user (uid ${stat.uid})`);
    }
    if (owner && (stat.uid !== owner.uid || stat.gid !== owner.gid)) {
      fs.fchownSync(fd, owner.uid, owner.gid);
    }
    fs.fchmodSync(fd, mode);
  } finally {
    fs.closeSync(fd);
  }
  return dir;
}

/**
 * Makes (or takes over) the folder `dir`, mode 0700, owned by `owner` ({ uid, gid }, default: us).
 * Its parent must exist. A symbolic link or another user's folder at that name is refused. `mode`
 * 0755 is for a folder others must traverse (one holding private folders).
 */
export function makePrivateDir(dir, owner, { mode = 0o700 } = {}) {
  try {
    fs.mkdirSync(dir, { mode });
  } catch (error) {
    if (error.code !== 'EEXIST') {
      throw error;
    }
  }
  return secureOpenedDir(dir, owner, mode);
}

/** A fresh folder with an unpredictable name (mkdtemp) under `parent`, 0700, owned by `owner`. */
export function makePrivateTempDir(prefix, owner, parent = os.tmpdir()) {
  return secureOpenedDir(fs.mkdtempSync(path.join(parent, prefix)), owner);
}

/**
 * Writes `content` to `file` as a new 0600 file owned by `owner`: whatever was at that name (a stale
 * file, a planted symlink) is removed first, and O_EXCL creation never follows a link.
 */
export function writePrivateFile(file, content, owner) {
  fs.rmSync(file, { force: true });
  const fd = fs.openSync(file, 'wx', 0o600);
  try {
    if (owner) {
      fs.fchownSync(fd, owner.uid, owner.gid);
    }
    fs.fchmodSync(fd, 0o600);
    fs.writeFileSync(fd, content);
  } finally {
    fs.closeSync(fd);
  }
  return file;
}

/**
 * Gives every entry under `dir` (not following symbolic links) to `owner`: data an earlier Mamori
 * left owned by another OS user (its PostgreSQL ran as `postgres`).
 */
export function chownTree(dir, owner) {
  const stat = fs.lstatSync(dir);
  if (stat.uid !== owner.uid || stat.gid !== owner.gid) {
    fs.lchownSync(dir, owner.uid, owner.gid);
  }
  if (stat.isDirectory()) {
    for (const entry of fs.readdirSync(dir)) {
      chownTree(path.join(dir, entry), owner);
    }
  }
}
