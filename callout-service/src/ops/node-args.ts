/**
 * How Node runs the service, in one place: the Dockerfile's CMD and `npm run service` spell it out, the
 * benchmark and the chaos replicas spawn with it, and scripts/test/service-image.test.ts checks they agree.
 *
 * `--max-semi-space-size=16`: Node 22 and later size V8's young generation from the memory the host has
 * (64 MiB semi-spaces on a host with 24 GB, 16 MiB on Node 20; nodejs/node#55487, #62723). The cap keeps
 * Node 20's size. bench:inbound measured it: peak RSS 244-268 MB against 302-330 MB uncapped, with the same
 * webhook p99 and ingest rate (three runs each); 8 MiB cut the ingest rate by a third in one run.
 */
export const SERVICE_NODE_ARGS = ['--max-semi-space-size=16', '--import', 'tsx'] as const;
