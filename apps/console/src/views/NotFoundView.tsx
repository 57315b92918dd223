import { paths } from '../routes.js';

export function NotFoundView() {
  return (
    <>
      <h1>Not found</h1>
      <p>
        The console has no page at this address. Go to the <a href={paths.overview}>overview</a>.
      </p>
    </>
  );
}
