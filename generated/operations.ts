// Generated from openapi.yaml by `npm run generate`. Do not edit by hand.

/**
 * The operations whose handler runs in one transaction: each takes an Idempotency-Key or an
 * If-Match, or emits events (src/contract/operations.ts, isTransactional).
 */
export type TransactionalOperation = "switchWorkspace" | "createProject" | "deleteProject" | "updateProject" | "createApiKey" | "deleteApiKey" | "rotateApiKey" | "createWebhookEndpoint" | "deleteWebhookEndpoint" | "updateWebhookEndpoint" | "rotateWebhookSecret" | "testWebhookEndpoint" | "retryWebhookDelivery" | "recoverWebhookDeliveries" | "deleteMember" | "updateMember" | "createInvitation" | "deleteInvitation" | "acceptInvitation";

/** The event types each operation may emit: its `x-events`. */
export interface OperationEvents {
  login: never;
  refreshToken: never;
  logout: never;
  switchWorkspace: never;
  getMe: never;
  listProjects: never;
  createProject: "project.created";
  getProject: never;
  deleteProject: "project.deleted";
  updateProject: "project.updated";
  listApiKeys: never;
  createApiKey: "api_key.created";
  getApiKey: never;
  deleteApiKey: "api_key.revoked";
  rotateApiKey: "api_key.rotated";
  getUsage: never;
  listWebhookEndpoints: never;
  createWebhookEndpoint: "webhook_endpoint.created";
  getWebhookEndpoint: never;
  deleteWebhookEndpoint: "webhook_endpoint.deleted";
  updateWebhookEndpoint: "webhook_endpoint.updated";
  rotateWebhookSecret: "webhook_endpoint.updated";
  testWebhookEndpoint: never;
  listWebhookDeliveries: never;
  retryWebhookDelivery: never;
  recoverWebhookDeliveries: never;
  listEvents: never;
  getEvent: never;
  listMembers: never;
  getMember: never;
  deleteMember: "member.removed";
  updateMember: "member.updated";
  listInvitations: never;
  createInvitation: "invitation.created";
  deleteInvitation: "invitation.revoked";
  acceptInvitation: "invitation.accepted" | "member.added";
}
