import * as path from 'path';

/** `file:line` of the first stack frame outside `self` (a module file), relative to the working directory. */
export function callerLocation(self: string): string {
  const frames = (new Error().stack ?? '').split('\n').slice(1);
  for (const frame of frames) {
    const match = /\(?((?:file:\/\/)?[^\s()]+?):(\d+):\d+\)?\s*$/.exec(frame.trim());
    if (!match) continue;
    const file = match[1].replace(/^file:\/\//, '');
    if (!path.isAbsolute(file) || file.startsWith('node:')) continue;
    if (path.resolve(file) === path.resolve(self) || path.resolve(file) === path.resolve(__filename)) continue;
    return `${path.relative(process.cwd(), file)}:${match[2]}`;
  }
  return 'unknown';
}
