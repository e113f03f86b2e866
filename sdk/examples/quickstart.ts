// The SDK against a live deployment, start to finish. Run it with the deployment's origin and an
// API key that has projects:read and projects:write:
//   CLOUD_API_URL=https://api.example.com CLOUD_API_KEY=cp_live_... npx tsx quickstart.ts
import { CloudApi, errorIs } from '@cloud-api/sdk';

function setting(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

async function main(): Promise<void> {
  const client = new CloudApi({ baseUrl: setting('CLOUD_API_URL'), apiKey: setting('CLOUD_API_KEY') });

  const me = await client.me.get();
  console.log(`Acting as ${me.type} in workspace "${me.workspace.name}" with ${me.scopes.join(', ')}`);

  // Every POST carries an Idempotency-Key: if the connection drops, the SDK's retry cannot
  // create a second project.
  const tag = `quickstart-${Date.now()}`;
  const { data: project, etag } = await client.projects.create({ name: `${tag} api`, description: 'Made by the quickstart' });
  console.log(`Created ${project.name} (${project.id}), slug ${project.slug}`);
  for (const n of [1, 2, 3]) await client.projects.create({ name: `${tag} worker ${n}` });

  // Every page, one after the other, as one stream of projects.
  const names: string[] = [];
  for await (const p of client.projects.list({ name: tag, limit: 2 })) names.push(p.name);
  console.log(`Listed ${names.length} projects: ${names.join(', ')}`);

  // Optimistic concurrency: change only the version that was read.
  const updated = await client.projects.update(project.id, { description: 'Updated once' }, { ifMatch: etag });
  try {
    await client.projects.update(project.id, { description: 'A lost update' }, { ifMatch: etag });
  } catch (err) {
    if (!errorIs.preconditionFailed(err)) throw err;
    console.log(`A stale ETag is refused: ${err.status} ${err.code} (request ${err.requestId})`);
  }

  // Clean up, and read a typed 404.
  await client.projects.delete(project.id, { ifMatch: updated.etag });
  for await (const p of client.projects.list({ name: `${tag} worker` })) await client.projects.delete(p.id);
  try {
    await client.projects.get(project.id);
  } catch (err) {
    if (!errorIs.notFound(err)) throw err;
    console.log(`Deleted: getProject answers ${err.status} ${err.code}`);
  }
  console.log('quickstart: done');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
