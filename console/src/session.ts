// The signed-in session. The SDK holds the tokens: the access token and the refresh token live in
// the CloudApi instance's private fields, in this page's memory only (never localStorage or a
// cookie; see console/README.md for why a reload signs in again). The email and password stay in
// this closure, as they do inside the SDK itself, so that switching workspace can log in again.
import { CloudApi, type Me } from '@cloud-api/sdk';

export interface Session {
  client: CloudApi;
  me: Me;
  /** A new session in another workspace of this user (a new login with `workspace_id`). */
  switchTo(workspaceId: string): Promise<Session>;
  signOut(): Promise<void>;
}

/**
 * What a page of the console gets: the session, and the way to replace it when what the page did
 * changed who is signed in where (Members: leaving the workspace, or changing one's own role).
 */
export interface PageProps {
  session: Session;
  onSession: (next: Session | undefined) => void;
}

export async function signIn(email: string, password: string, workspaceId?: string): Promise<Session> {
  const client = new CloudApi({ baseUrl: location.origin, email, password, workspaceId });
  // The first call logs in: a wrong password or a rate limit surfaces here as a typed ApiError.
  const me = await client.me.get();
  return {
    client,
    me,
    switchTo: (id) => signIn(email, password, id),
    signOut: async () => {
      await client.auth.logout().catch(() => undefined);
    },
  };
}
