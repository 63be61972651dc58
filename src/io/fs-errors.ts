// What went wrong with a file, in words: the errno codes a path or a device can give, so a bad
// `-i`, claims file, aliases file or `-o` is one clean line (exit 2), never "internal error".

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'a part of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ELOOP: 'too many symbolic links (a link that points back to itself?)',
  ENAMETOOLONG: 'the name is too long',
  EIO: 'input/output error (a failing disk or device)',
  ENXIO: 'no such device',
  ENODEV: 'no such device',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EROFS: 'read-only file system',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
  EBUSY: 'the file is busy',
  ETXTBSY: 'the file is busy',
  EAGAIN: 'the file is not ready (try again)',
  EINVAL: 'the file cannot be read this way (a special file?)',
};

/** Words for a file-system error, with its code; undefined when `err` is not one. */
export function fileProblem(err: unknown, doing: 'read' | 'write' = 'read'): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== 'string' || !/^E[A-Z0-9]+$/.test(code)) return undefined;
  // A file being written is created: when it cannot be, its folder is missing.
  const reason = doing === 'write' && code === 'ENOENT' ? 'no such folder' : REASONS[code] ?? 'cannot be used';
  return `${reason} (${code})`;
}

/**
 * A small text file read whole, refused past `maxBytes` without reading further (a device such as
 * /dev/urandom has no size to look at first). UTF-8, as readFile(file, 'utf8') would decode it.
 */
export async function readSmallText(file: string, maxBytes: number): Promise<{ text: string } | { tooLarge: true }> {
  const { open } = await import('node:fs/promises');
  const handle = await open(file, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.alloc(Math.min(1 << 16, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      chunks.push(buf.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) return { tooLarge: true };
    }
    return { text: Buffer.concat(chunks).toString('utf8') };
  } finally {
    await handle.close();
  }
}
