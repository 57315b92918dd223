/**
 * The oldest Node.js that sync-core runs on: MikroORM 7's floor, which also has the built-in
 * `node:sqlite` of the embedded database. The project itself runs on the exact release its root
 * package pins (the `node` devDependency that every npm script runs on); a process started some
 * other way on an older Node would otherwise fail later, with an error that does not say why.
 */
export const MIN_NODE = [22, 17] as const;

export class UnsupportedRuntime extends Error {
  override name = 'UnsupportedRuntime';
}

/** Throws when this process's Node.js is older than MIN_NODE. */
export function refuseOldRuntime(version: string = process.versions.node): void {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1])) return;
  throw new UnsupportedRuntime(
    `Node.js ${version} is too old for upsync (needs ${MIN_NODE.join('.')} or later): start it through npm (npm start, npm run …), which runs the Node.js release the project pins`,
  );
}
