// Runs verdaccio (a real npm registry) from a config file on 127.0.0.1 and a free port, and
// prints `{"port":N}` once it listens. A child process of the test: stopped with SIGTERM.
import { runServer } from 'verdaccio';

const server = await runServer(process.argv[2]);
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
