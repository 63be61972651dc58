// A file written whole or not at all: into a temporary file beside it, synced, renamed over it at
// the end, so a failed run leaves the old file as it was and two runs writing at once never leave
// half a file. A device or a pipe (/dev/stdout, /dev/full, a FIFO) is written as it is: renaming a
// file over it would replace the device itself. Errors are the file system's, for the caller to word.
import { open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export async function writeWhole(target: string, chunks: Iterable<string | Uint8Array>): Promise<void> {
  const special = await stat(target).then((st) => !st.isFile() && !st.isDirectory(), () => false);
  if (special) {
    await writeFile(target, Buffer.concat([...chunks].map((c) => (typeof c === 'string' ? Buffer.from(c, 'utf8') : c))));
    return;
  }
  // (not node:crypto for the name: it would load at every start)
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`);
  try {
    const file = await open(temp, 'wx');
    try {
      let buffer = '';
      for (const chunk of chunks) {
        if (typeof chunk !== 'string') {
          if (buffer) await file.write(buffer);
          buffer = '';
          await file.write(chunk);
          continue;
        }
        buffer += chunk;
        if (buffer.length > 1 << 16) {
          await file.write(buffer);
          buffer = '';
        }
      }
      if (buffer) await file.write(buffer);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, target);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
