// Generated from openapi.yaml by `npm run generate`. Do not edit by hand.

export interface paths {
    "/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Log in
         * @description Exchanges an email and password for an access token and a refresh token.
         *     A wrong email and a wrong password give the same `401 invalid_credentials`, so the
         *     response never reveals whether an account exists. When the user belongs to several
         *     workspaces, `workspace_id` picks one; without it the oldest membership is used.
         */
        post: operations["login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Refresh an access token
         * @description Rotates a refresh token: the presented token becomes invalid and a new access token
         *     and refresh token are returned. Presenting a refresh token that was already used
         *     revokes the whole session (RFC 9700 reuse detection), including access tokens
         *     issued from it. Refresh tokens expire after 7 days without use, and every session
         *     ends 30 days after login.
         */
        post: operations["refreshToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Log out
         * @description Ends the session the refresh token belongs to: the refresh token, every token rotated
         *     from it and every access token issued in the session stop working. Logging out of a
         *     session that is already over, or with an unknown token, also answers 204, so the call
         *     is safe to retry.
         */
        post: operations["logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/switch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Switch workspace
         * @description Starts a session in another workspace of the signed-in user, without their password: the
         *     access token of the current session vouches for them. Answers like login, with tokens for
         *     `workspace_id` and the rights of the role held there (`GET /v1/me` lists the caller's
         *     workspaces and roles). The current session stays valid; log out of it when it is no longer
         *     needed. A workspace the user does not belong to is `404 not_found`, whether it exists or
         *     not. Only a signed-in user can switch: an API key belongs to one workspace.
         */
        post: operations["switchWorkspace"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Describe the caller
         * @description The authenticated principal, the workspace the credential acts in, the role there and the granted scopes.
         */
        get: operations["getMe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/projects": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List projects
         * @description Lists the workspace's projects, newest first (by `created_at`, then `id`), one page
         *     at a time. Filters combine with AND. Follow `meta.next_cursor` (or the `Link`
         *     header) until `meta.has_more` is false.
         */
        get: operations["listProjects"];
        put?: never;
        /**
         * Create a project
         * @description Creates a project in the caller's workspace. `slug` is unique per workspace: an
         *     explicit slug that is taken is `409 slug_taken`. Without `slug`, one is derived
         *     from the name (lowercased, accents removed, other characters turned into hyphens)
         *     and, if taken, suffixed with `-2`, `-3`, and so on.
         */
        post: operations["createProject"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/projects/{project_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The project's id.
                 * @example prj_01JD3Y8N6V4Q2X7R5T9W1K3M5R
                 */
                project_id: components["parameters"]["ProjectId"];
            };
            cookie?: never;
        };
        /**
         * Get a project
         * @description Returns one project of the caller's workspace. A project of another workspace is reported as not found.
         */
        get: operations["getProject"];
        put?: never;
        post?: never;
        /**
         * Delete a project
         * @description Deletes the project. Its slug becomes free for reuse. Deleting it again is `404`.
         */
        delete: operations["deleteProject"];
        options?: never;
        head?: never;
        /**
         * Update a project
         * @description Partial update with JSON merge semantics (RFC 7396): fields present in the body
         *     replace the stored values, absent fields are left unchanged, and `description: null`
         *     clears the description. `name` and `slug` cannot be cleared. Changing `slug` to one
         *     that another project of the workspace has is `409 slug_taken`. An empty object
         *     changes nothing and returns the project.
         */
        patch: operations["updateProject"];
        trace?: never;
    };
    "/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List API keys
         * @description Lists the workspace's API keys, newest first, paginated like projects. Only the prefix
         *     and the last four characters of each key are shown; the full key is never shown again
         *     after creation or rotation. Revoked keys are not listed; expired ones are, with their
         *     `expires_at` in the past.
         */
        get: operations["listApiKeys"];
        put?: never;
        /**
         * Create an API key
         * @description Creates an API key for backend services. The response contains the full key in `key`;
         *     **it is shown only in this response**, so store it in a secret manager now. The server
         *     keeps only a peppered hash. The one exception is a retry: a request repeated with the same
         *     `Idempotency-Key` by the same credential within 24 hours gets the same response, key
         *     included, so a client whose first attempt timed out is not left with a key it cannot use.
         *     That stored response is encrypted with a key derived from the `Idempotency-Key`, which the
         *     server does not keep. A credential can only grant scopes it holds itself (its current
         *     rights: a user demoted a moment ago has already lost them): asking for any other is
         *     `403 insufficient_scope`.
         */
        post: operations["createApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api-keys/{key_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The API key's id.
                 * @example key_01JD3Y8N6V4Q2X7R5T9W1K3M5T
                 */
                key_id: components["parameters"]["KeyId"];
            };
            cookie?: never;
        };
        /**
         * Get an API key
         * @description One active API key of the workspace (never the key itself). Revoked keys and keys of other workspaces are not found.
         */
        get: operations["getApiKey"];
        put?: never;
        post?: never;
        /**
         * Revoke an API key
         * @description Revokes the key and every secret it had (including one still in a rotation grace period).
         *     It stops working at once, for every later request. Revoking a key that holds scopes the
         *     caller lacks is `403 insufficient_scope`, as for creating or rotating it.
         */
        delete: operations["deleteApiKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api-keys/{key_id}/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The API key's id.
                 * @example key_01JD3Y8N6V4Q2X7R5T9W1K3M5T
                 */
                key_id: components["parameters"]["KeyId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate an API key
         * @description Issues a new secret for the key (same id, name and scopes) and returns it once in `key`.
         *     The previous secret keeps working for `grace_period_seconds` (default 0: it stops at once),
         *     so a fleet can be redeployed without downtime. Rotating a key that holds scopes the caller
         *     lacks is `403 insufficient_scope`.
         */
        post: operations["rotateApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Request counts and error rate
         * @description Counts the workspace's API requests in the half-open window `[from, to)`: totals, buckets
         *     of `granularity` (zero-filled, so they add up to the totals) and, with `group_by`, a
         *     breakdown by operation, by API key (requests made with a bearer token count under the
         *     user's id) or by status class. An error is any response with status 400 or above;
         *     `error_rate` is `errors / requests`, and 0 when there were no requests.
         *
         *     `from` and `to` are dates (`2026-03-01`, midnight UTC) or RFC 3339 instants; counts are
         *     kept per minute, so instants are rounded down to the minute. The window may span at most
         *     366 days (31 days with `granularity=hour`). Counts are written in batches about once a
         *     second, so the last second or so of traffic may not show yet; requests rejected before
         *     authentication are not counted for any workspace.
         */
        get: operations["getUsage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhook-endpoints": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List webhook endpoints
         * @description The workspace's webhook endpoints, newest first, paginated like projects. Signing secrets are never shown again after creation or rotation.
         */
        get: operations["listWebhookEndpoints"];
        put?: never;
        /**
         * Create a webhook endpoint
         * @description Subscribes a URL to events of the workspace (`enabled_events`, or `["*"]` for all). The
         *     response holds the signing secret in `secret`; **it is shown only in this response** (and
         *     to a retry with the same `Idempotency-Key`). Verify every delivery's `webhook-signature`
         *     with it, as Standard Webhooks describes. The URL must be `https` (plain `http` only where
         *     the deployment allows private addresses, in development), and must not resolve to a
         *     loopback, private, link-local or otherwise internal address: such a URL is
         *     `400 validation_failed`. A workspace has at most 16 endpoints (`409 limit_exceeded`).
         */
        post: operations["createWebhookEndpoint"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhook-endpoints/{endpoint_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The webhook endpoint's id.
                 * @example whe_01JD3Y8N6V4Q2X7R5T9W1K3M5V
                 */
                endpoint_id: components["parameters"]["EndpointId"];
            };
            cookie?: never;
        };
        /**
         * Get a webhook endpoint
         * @description One webhook endpoint of the workspace (never its secret).
         */
        get: operations["getWebhookEndpoint"];
        put?: never;
        post?: never;
        /**
         * Delete a webhook endpoint
         * @description Deletes the endpoint; its pending deliveries are dropped and nothing more is sent to it.
         */
        delete: operations["deleteWebhookEndpoint"];
        options?: never;
        head?: never;
        /**
         * Update a webhook endpoint
         * @description Changes the URL, the subscribed events, the description, or the status. Setting `status`
         *     to `enabled` re-enables an endpoint that was disabled (by hand, after a `410 Gone`, or
         *     after failing continuously); deliveries that failed meanwhile can be re-sent with the
         *     recover operation. A new URL is checked as at creation.
         */
        patch: operations["updateWebhookEndpoint"];
        trace?: never;
    };
    "/webhook-endpoints/{endpoint_id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The webhook endpoint's id.
                 * @example whe_01JD3Y8N6V4Q2X7R5T9W1K3M5V
                 */
                endpoint_id: components["parameters"]["EndpointId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate a webhook endpoint's signing secret
         * @description Issues a new signing secret and returns it once in `secret`. For the next 24 hours
         *     (until `previous_secret_expires_at`) every delivery is signed with both secrets: the
         *     `webhook-signature` header then holds two `v1,` signatures, so receivers can switch
         *     secrets without rejecting a delivery.
         */
        post: operations["rotateWebhookSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhook-endpoints/{endpoint_id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The webhook endpoint's id.
                 * @example whe_01JD3Y8N6V4Q2X7R5T9W1K3M5V
                 */
                endpoint_id: components["parameters"]["EndpointId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a test event
         * @description Sends a `ping` event to this endpoint now (whatever events it subscribes to), as a delivery like any other. The answer is the queued delivery; follow it in the endpoint's deliveries.
         */
        post: operations["testWebhookEndpoint"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhook-endpoints/{endpoint_id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The webhook endpoint's id.
                 * @example whe_01JD3Y8N6V4Q2X7R5T9W1K3M5V
                 */
                endpoint_id: components["parameters"]["EndpointId"];
            };
            cookie?: never;
        };
        /**
         * List an endpoint's deliveries
         * @description Deliveries to this endpoint, newest first, each with its attempts (the latest 10): when,
         *     the response status or the error, the duration, the first kilobyte of the response body,
         *     and when the next attempt is due. Kept as long as their events.
         */
        get: operations["listWebhookDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhook-endpoints/{endpoint_id}/deliveries/{delivery_id}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The webhook endpoint's id.
                 * @example whe_01JD3Y8N6V4Q2X7R5T9W1K3M5V
                 */
                endpoint_id: components["parameters"]["EndpointId"];
                /**
                 * @description The delivery's id.
                 * @example whd_01JD3Y8N6V4Q2X7R5T9W1K3M5W
                 */
                delivery_id: components["parameters"]["DeliveryId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Retry a delivery now
         * @description Queues one more attempt of this delivery, now, whatever its state (a delivered event is sent again with the same `webhook-id`). The endpoint must be enabled (`409 endpoint_disabled` otherwise).
         */
        post: operations["retryWebhookDelivery"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/webhook-endpoints/{endpoint_id}/recover": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The webhook endpoint's id.
                 * @example whe_01JD3Y8N6V4Q2X7R5T9W1K3M5V
                 */
                endpoint_id: components["parameters"]["EndpointId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Re-send failed deliveries
         * @description Queues again every delivery to this endpoint that failed for good (`status` `failed`) and was created at or after `since`, for example after the receiver was down or the endpoint was disabled. The endpoint must be enabled (`409 endpoint_disabled` otherwise).
         */
        post: operations["recoverWebhookDeliveries"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List events
         * @description The workspace's events, newest first: every change made through the API, as webhooks
         *     deliver it. Events are kept 30 days. Use this list to catch up on events an endpoint
         *     missed.
         */
        get: operations["listEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/events/{event_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The event's id.
                 * @example evt_01JD3Y8N6V4Q2X7R5T9W1K3M5X
                 */
                event_id: components["parameters"]["EventId"];
            };
            cookie?: never;
        };
        /**
         * Get an event
         * @description One event of the workspace, as its webhook deliveries carry it.
         */
        get: operations["getEvent"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List members
         * @description Lists the workspace's members, newest first (by `joined_at`, then `user_id`), paginated like
         *     projects. `role` keeps only the members who hold that role.
         */
        get: operations["listMembers"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/members/{user_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The member's user id.
                 * @example usr_01JD3Y8N6V4Q2X7R5T9W1K3M5P
                 */
                user_id: components["parameters"]["UserId"];
            };
            cookie?: never;
        };
        /**
         * Get a member
         * @description One member of the caller's workspace, with an `ETag`. A user who is not a member (of this workspace) is not found.
         */
        get: operations["getMember"];
        put?: never;
        post?: never;
        /**
         * Remove a member
         * @description Removes the user from the workspace: their sessions in it end at once (their next request is
         *     `401`), on every instance. The API keys they created stay: keys belong to the workspace.
         *     Removing someone else needs `members:write`, and removing an owner needs an owner
         *     (`403 insufficient_role`); anyone may leave, removing their own membership with only
         *     `members:read`. The last owner can neither be removed nor leave (`409 last_owner`).
         */
        delete: operations["deleteMember"];
        options?: never;
        head?: never;
        /**
         * Change a member's role
         * @description Changes the member's role; it is effective on their next request, on every instance. Only an
         *     owner may make someone an owner or change an owner's role (`403 insufficient_role`
         *     otherwise); owners and admins manage admins and members. Demoting the workspace's last
         *     owner is `409 last_owner`: a workspace always keeps one. Setting the role a member already
         *     has changes nothing and emits no event.
         */
        patch: operations["updateMember"];
        trace?: never;
    };
    "/invitations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List pending invitations
         * @description Lists the workspace's pending invitations (neither accepted, revoked nor expired), newest
         *     first, paginated like projects. The token is never shown again after creation.
         */
        get: operations["listInvitations"];
        put?: never;
        /**
         * Invite someone
         * @description Invites an email address to the workspace with a role. The response holds the invitation's
         *     `token`, **shown only in this response** (and to a retry with the same `Idempotency-Key`);
         *     the server keeps only its hash. **No email is sent**: pass the token on to the invitee (as
         *     an invite link would), who accepts it with `POST /v1/invitations/accept`. The token works
         *     once and expires after 7 days (the deployment's `INVITATION_TTL_SECONDS`). Inviting an
         *     owner needs an owner (`403 insufficient_role`); an email that is already a member is
         *     `409 already_member`, and one with a pending invitation `409 already_invited` (revoke it to
         *     invite again).
         */
        post: operations["createInvitation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/invitations/{invitation_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The invitation's id.
                 * @example inv_01JD3Y8N6V4Q2X7R5T9W1K3M63
                 */
                invitation_id: components["parameters"]["InvitationId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke an invitation
         * @description Revokes a pending invitation; its token stops working at once. One that was accepted, revoked or has expired is not found.
         */
        delete: operations["deleteInvitation"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/invitations/accept": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Accept an invitation
         * @description Joins the workspace an invitation is for, with its role, and signs in there: answers like
         *     login, with an access and a refresh token. No credential is needed; the token is one.
         *     - For an email without an account, this creates the account with `password`, which must
         *       meet the password policy (`400 validation_failed`, detail `weak_password`, saying why).
         *     - For an email that has an account, `password` must be that account's password.
         *
         *     An unknown, used, revoked or expired token and a wrong password all get the same
         *     `401 invalid_invitation` after the same time, so the answer tells nothing about the token
         *     or the account. Attempts are limited per client IP and per token. Each token works once:
         *     of concurrent accepts, exactly one succeeds.
         */
        post: operations["acceptInvitation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface webhooks {
    "project.created": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * project.created
         * @description A project was created. Delivered signed (Standard Webhooks headers); answer any 2xx within 15 s to acknowledge.
         */
        post: {
            parameters: {
                query?: never;
                header: {
                    /**
                     * @description The event's id, the same on every retry of a delivery; deduplicate by it.
                     * @example evt_01JD3Y8N6V4Q2X7R5T9W1K3M5X
                     */
                    "webhook-id": components["parameters"]["WebhookIdHeader"];
                    /**
                     * @description When this attempt was signed, in Unix seconds. Reject timestamps far from now (the standardwebhooks verifier allows 5 minutes).
                     * @example 1773742934
                     */
                    "webhook-timestamp": components["parameters"]["WebhookTimestampHeader"];
                    /**
                     * @description Space-separated `v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">` signatures, one per valid secret (two for 24 hours after a rotation). Verify with a Standard Webhooks library.
                     * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4= v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=
                     */
                    "webhook-signature": components["parameters"]["WebhookSignatureHeader"];
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["ProjectEvent"];
                };
            };
            responses: {
                /** @description Acknowledged. Any other answer, or none within 15 s, is retried later (`410 Gone` disables the endpoint). */
                "2XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "project.updated": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * project.updated
         * @description A project was updated; `previous_attributes` holds the old values of what changed. Delivered signed (Standard Webhooks headers); answer any 2xx within 15 s to acknowledge.
         */
        post: {
            parameters: {
                query?: never;
                header: {
                    /**
                     * @description The event's id, the same on every retry of a delivery; deduplicate by it.
                     * @example evt_01JD3Y8N6V4Q2X7R5T9W1K3M5X
                     */
                    "webhook-id": components["parameters"]["WebhookIdHeader"];
                    /**
                     * @description When this attempt was signed, in Unix seconds. Reject timestamps far from now (the standardwebhooks verifier allows 5 minutes).
                     * @example 1773742934
                     */
                    "webhook-timestamp": components["parameters"]["WebhookTimestampHeader"];
                    /**
                     * @description Space-separated `v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">` signatures, one per valid secret (two for 24 hours after a rotation). Verify with a Standard Webhooks library.
                     * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4= v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=
                     */
                    "webhook-signature": components["parameters"]["WebhookSignatureHeader"];
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["ProjectEvent"];
                };
            };
            responses: {
                /** @description Acknowledged. Any other answer, or none within 15 s, is retried later (`410 Gone` disables the endpoint). */
                "2XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "project.deleted": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * project.deleted
         * @description A project was deleted; `object` is the project as it was. Delivered signed (Standard Webhooks headers); answer any 2xx within 15 s to acknowledge.
         */
        post: {
            parameters: {
                query?: never;
                header: {
                    /**
                     * @description The event's id, the same on every retry of a delivery; deduplicate by it.
                     * @example evt_01JD3Y8N6V4Q2X7R5T9W1K3M5X
                     */
                    "webhook-id": components["parameters"]["WebhookIdHeader"];
                    /**
                     * @description When this attempt was signed, in Unix seconds. Reject timestamps far from now (the standardwebhooks verifier allows 5 minutes).
                     * @example 1773742934
                     */
                    "webhook-timestamp": components["parameters"]["WebhookTimestampHeader"];
                    /**
                     * @description Space-separated `v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">` signatures, one per valid secret (two for 24 hours after a rotation). Verify with a Standard Webhooks library.
                     * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4= v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=
                     */
                    "webhook-signature": components["parameters"]["WebhookSignatureHeader"];
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["ProjectEvent"];
                };
            };
            responses: {
                /** @description Acknowledged. Any other answer, or none within 15 s, is retried later (`410 Gone` disables the endpoint). */
                "2XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "api_key.created": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * api_key.created
         * @description An API key was created. Delivered signed (Standard Webhooks headers); answer any 2xx within 15 s to acknowledge.
         */
        post: {
            parameters: {
                query?: never;
                header: {
                    /**
                     * @description The event's id, the same on every retry of a delivery; deduplicate by it.
                     * @example evt_01JD3Y8N6V4Q2X7R5T9W1K3M5X
                     */
                    "webhook-id": components["parameters"]["WebhookIdHeader"];
                    /**
                     * @description When this attempt was signed, in Unix seconds. Reject timestamps far from now (the standardwebhooks verifier allows 5 minutes).
                     * @example 1773742934
                     */
                    "webhook-timestamp": components["parameters"]["WebhookTimestampHeader"];
                    /**
                     * @description Space-separated `v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">` signatures, one per valid secret (two for 24 hours after a rotation). Verify with a Standard Webhooks library.
                     * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4= v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=
                     */
                    "webhook-signature": components["parameters"]["WebhookSignatureHeader"];
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["ApiKeyEvent"];
                };
            };
            responses: {
                /** @description Acknowledged. Any other answer, or none within 15 s, is retried later (`410 Gone` disables the endpoint). */
                "2XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "api_key.rotated": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * api_key.rotated
         * @description An API key got a new secret; `previous_attributes` shows the previous one as `prefix` and `last4`. Delivered signed (Standard Webhooks headers); answer any 2xx within 15 s to acknowledge.
         */
        post: {
            parameters: {
                query?: never;
                header: {
                    /**
                     * @description The event's id, the same on every retry of a delivery; deduplicate by it.
                     * @example evt_01JD3Y8N6V4Q2X7R5T9W1K3M5X
                     */
                    "webhook-id": components["parameters"]["WebhookIdHeader"];
                    /**
                     * @description When this attempt was signed, in Unix seconds. Reject timestamps far from now (the standardwebhooks verifier allows 5 minutes).
                     * @example 1773742934
                     */
                    "webhook-timestamp": components["parameters"]["WebhookTimestampHeader"];
                    /**
                     * @description Space-separated `v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">` signatures, one per valid secret (two for 24 hours after a rotation). Verify with a Standard Webhooks library.
                     * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4= v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=
                     */
                    "webhook-signature": components["parameters"]["WebhookSignatureHeader"];
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["ApiKeyEvent"];
                };
            };
            responses: {
                /** @description Acknowledged. Any other answer, or none within 15 s, is retried later (`410 Gone` disables the endpoint). */
                "2XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "api_key.revoked": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * api_key.revoked
         * @description An API key was revoked. Delivered signed (Standard Webhooks headers); answer any 2xx within 15 s to acknowledge.
         */
        post: {
            parameters: {
                query?: never;
                header: {
                    /**
                     * @description The event's id, the same on every retry of a delivery; deduplicate by it.
                     * @example evt_01JD3Y8N6V4Q2X7R5T9W1K3M5X
                     */
                    "webhook-id": components["parameters"]["WebhookIdHeader"];
                    /**
                     * @description When this attempt was signed, in Unix seconds. Reject timestamps far from now (the standardwebhooks verifier allows 5 minutes).
                     * @example 1773742934
                     */
                    "webhook-timestamp": components["parameters"]["WebhookTimestampHeader"];
                    /**
                     * @description Space-separated `v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">` signatures, one per valid secret (two for 24 hours after a rotation). Verify with a Standard Webhooks library.
                     * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4= v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=
                     */
                    "webhook-signature": components["parameters"]["WebhookSignatureHeader"];
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["ApiKeyEvent"];
                };
            };
            responses: {
                /** @description Acknowledged. Any other answer, or none within 15 s, is retried later (`410 Gone` disables the endpoint). */
                "2XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "webhook_endpoint.created": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * webhook_endpoint.created
         * @description A webhook endpoint was created. Delivered signed (Standard Webhooks headers); answer any 2xx within 15 s to acknowledge.
         */
        post: {
            parameters: {
                query?: never;
                header: {
                    /**
                     * @description The event's id, the same on every retry of a delivery; deduplicate by it.
                     * @example evt_01JD3Y8N6V4Q2X7R5T9W1K3M5X
                     */
                    "webhook-id": components["parameters"]["WebhookIdHeader"];
                    /**
                     * @description When this attempt was signed, in Unix seconds. Reject timestamps far from now (the standardwebhooks verifier allows 5 minutes).
                     * @example 1773742934
                     */
                    "webhook-timestamp": components["parameters"]["WebhookTimestampHeader"];
                    /**
                     * @description Space-separated `v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">` signatures, one per valid secret (two for 24 hours after a rotation). Verify with a Standard Webhooks library.
                     * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4= v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=
                     */
                    "webhook-signature": components["parameters"]["WebhookSignatureHeader"];
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["WebhookEndpointEvent"];
                };
            };
            responses: {
                /** @description Acknowledged. Any other answer, or none within 15 s, is retried later (`410 Gone` disables the endpoint). */
                "2XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "webhook_endpoint.updated": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * webhook_endpoint.updated
         * @description A webhook endpoint was updated or its secret rotated. Delivered signed (Standard Webhooks headers); answer any 2xx within 15 s to acknowledge.
         */
        post: {
            parameters: {
                query?: never;
                header: {
                    /**
                     * @description The event's id, the same on every retry of a delivery; deduplicate by it.
                     * @example evt_01JD3Y8N6V4Q2X7R5T9W1K3M5X
                     */
                    "webhook-id": components["parameters"]["WebhookIdHeader"];
                    /**
                     * @description When this attempt was signed, in Unix seconds. Reject timestamps far from now (the standardwebhooks verifier allows 5 minutes).
                     * @example 1773742934
                     */
                    "webhook-timestamp": components["parameters"]["WebhookTimestampHeader"];
                    /**
                     * @description Space-separated `v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">` signatures, one per valid secret (two for 24 hours after a rotation). Verify with a Standard Webhooks library.
                     * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4= v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=
                     */
                    "webhook-signature": components["parameters"]["WebhookSignatureHeader"];
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["WebhookEndpointEvent"];
                };
            };
            responses: {
                /** @description Acknowledged. Any other answer, or none within 15 s, is retried later (`410 Gone` disables the endpoint). */
                "2XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "webhook_endpoint.deleted": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * webhook_endpoint.deleted
         * @description A webhook endpoint was deleted. Delivered signed (Standard Webhooks headers); answer any 2xx within 15 s to acknowledge.
         */
        post: {
            parameters: {
                query?: never;
                header: {
                    /**
                     * @description The event's id, the same on every retry of a delivery; deduplicate by it.
                     * @example evt_01JD3Y8N6V4Q2X7R5T9W1K3M5X
                     */
                    "webhook-id": components["parameters"]["WebhookIdHeader"];
                    /**
                     * @description When this attempt was signed, in Unix seconds. Reject timestamps far from now (the standardwebhooks verifier allows 5 minutes).
                     * @example 1773742934
                     */
                    "webhook-timestamp": components["parameters"]["WebhookTimestampHeader"];
                    /**
                     * @description Space-separated `v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">` signatures, one per valid secret (two for 24 hours after a rotation). Verify with a Standard Webhooks library.
                     * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4= v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=
                     */
                    "webhook-signature": components["parameters"]["WebhookSignatureHeader"];
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["WebhookEndpointEvent"];
                };
            };
            responses: {
                /** @description Acknowledged. Any other answer, or none within 15 s, is retried later (`410 Gone` disables the endpoint). */
                "2XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "webhook_endpoint.disabled": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * webhook_endpoint.disabled
         * @description A webhook endpoint was disabled by the service: it answered `410 Gone`, or every delivery failed for the configured period. Delivered signed (Standard Webhooks headers); answer any 2xx within 15 s to acknowledge.
         */
        post: {
            parameters: {
                query?: never;
                header: {
                    /**
                     * @description The event's id, the same on every retry of a delivery; deduplicate by it.
                     * @example evt_01JD3Y8N6V4Q2X7R5T9W1K3M5X
                     */
                    "webhook-id": components["parameters"]["WebhookIdHeader"];
                    /**
                     * @description When this attempt was signed, in Unix seconds. Reject timestamps far from now (the standardwebhooks verifier allows 5 minutes).
                     * @example 1773742934
                     */
                    "webhook-timestamp": components["parameters"]["WebhookTimestampHeader"];
                    /**
                     * @description Space-separated `v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">` signatures, one per valid secret (two for 24 hours after a rotation). Verify with a Standard Webhooks library.
                     * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4= v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=
                     */
                    "webhook-signature": components["parameters"]["WebhookSignatureHeader"];
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["WebhookEndpointEvent"];
                };
            };
            responses: {
                /** @description Acknowledged. Any other answer, or none within 15 s, is retried later (`410 Gone` disables the endpoint). */
                "2XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    ping: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * ping
         * @description A test event, sent to one endpoint by `POST /v1/webhook-endpoints/{endpoint_id}/test`. Delivered signed (Standard Webhooks headers); answer any 2xx within 15 s to acknowledge.
         */
        post: {
            parameters: {
                query?: never;
                header: {
                    /**
                     * @description The event's id, the same on every retry of a delivery; deduplicate by it.
                     * @example evt_01JD3Y8N6V4Q2X7R5T9W1K3M5X
                     */
                    "webhook-id": components["parameters"]["WebhookIdHeader"];
                    /**
                     * @description When this attempt was signed, in Unix seconds. Reject timestamps far from now (the standardwebhooks verifier allows 5 minutes).
                     * @example 1773742934
                     */
                    "webhook-timestamp": components["parameters"]["WebhookTimestampHeader"];
                    /**
                     * @description Space-separated `v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">` signatures, one per valid secret (two for 24 hours after a rotation). Verify with a Standard Webhooks library.
                     * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4= v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=
                     */
                    "webhook-signature": components["parameters"]["WebhookSignatureHeader"];
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["PingEvent"];
                };
            };
            responses: {
                /** @description Acknowledged. Any other answer, or none within 15 s, is retried later (`410 Gone` disables the endpoint). */
                "2XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "member.added": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * member.added
         * @description A user joined the workspace (an invitation was accepted, or an operator added them). Delivered signed (Standard Webhooks headers); answer any 2xx within 15 s to acknowledge.
         */
        post: {
            parameters: {
                query?: never;
                header: {
                    /**
                     * @description The event's id, the same on every retry of a delivery; deduplicate by it.
                     * @example evt_01JD3Y8N6V4Q2X7R5T9W1K3M5X
                     */
                    "webhook-id": components["parameters"]["WebhookIdHeader"];
                    /**
                     * @description When this attempt was signed, in Unix seconds. Reject timestamps far from now (the standardwebhooks verifier allows 5 minutes).
                     * @example 1773742934
                     */
                    "webhook-timestamp": components["parameters"]["WebhookTimestampHeader"];
                    /**
                     * @description Space-separated `v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">` signatures, one per valid secret (two for 24 hours after a rotation). Verify with a Standard Webhooks library.
                     * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4= v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=
                     */
                    "webhook-signature": components["parameters"]["WebhookSignatureHeader"];
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["MemberEvent"];
                };
            };
            responses: {
                /** @description Acknowledged. Any other answer, or none within 15 s, is retried later (`410 Gone` disables the endpoint). */
                "2XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "member.updated": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * member.updated
         * @description A members role changed; `previous_attributes` holds the old role. Delivered signed (Standard Webhooks headers); answer any 2xx within 15 s to acknowledge.
         */
        post: {
            parameters: {
                query?: never;
                header: {
                    /**
                     * @description The event's id, the same on every retry of a delivery; deduplicate by it.
                     * @example evt_01JD3Y8N6V4Q2X7R5T9W1K3M5X
                     */
                    "webhook-id": components["parameters"]["WebhookIdHeader"];
                    /**
                     * @description When this attempt was signed, in Unix seconds. Reject timestamps far from now (the standardwebhooks verifier allows 5 minutes).
                     * @example 1773742934
                     */
                    "webhook-timestamp": components["parameters"]["WebhookTimestampHeader"];
                    /**
                     * @description Space-separated `v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">` signatures, one per valid secret (two for 24 hours after a rotation). Verify with a Standard Webhooks library.
                     * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4= v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=
                     */
                    "webhook-signature": components["parameters"]["WebhookSignatureHeader"];
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["MemberEvent"];
                };
            };
            responses: {
                /** @description Acknowledged. Any other answer, or none within 15 s, is retried later (`410 Gone` disables the endpoint). */
                "2XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "member.removed": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * member.removed
         * @description A member was removed or left; `object` is the membership as it was. Delivered signed (Standard Webhooks headers); answer any 2xx within 15 s to acknowledge.
         */
        post: {
            parameters: {
                query?: never;
                header: {
                    /**
                     * @description The event's id, the same on every retry of a delivery; deduplicate by it.
                     * @example evt_01JD3Y8N6V4Q2X7R5T9W1K3M5X
                     */
                    "webhook-id": components["parameters"]["WebhookIdHeader"];
                    /**
                     * @description When this attempt was signed, in Unix seconds. Reject timestamps far from now (the standardwebhooks verifier allows 5 minutes).
                     * @example 1773742934
                     */
                    "webhook-timestamp": components["parameters"]["WebhookTimestampHeader"];
                    /**
                     * @description Space-separated `v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">` signatures, one per valid secret (two for 24 hours after a rotation). Verify with a Standard Webhooks library.
                     * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4= v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=
                     */
                    "webhook-signature": components["parameters"]["WebhookSignatureHeader"];
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["MemberEvent"];
                };
            };
            responses: {
                /** @description Acknowledged. Any other answer, or none within 15 s, is retried later (`410 Gone` disables the endpoint). */
                "2XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "invitation.created": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * invitation.created
         * @description Someone was invited. Never carries the token. Delivered signed (Standard Webhooks headers); answer any 2xx within 15 s to acknowledge.
         */
        post: {
            parameters: {
                query?: never;
                header: {
                    /**
                     * @description The event's id, the same on every retry of a delivery; deduplicate by it.
                     * @example evt_01JD3Y8N6V4Q2X7R5T9W1K3M5X
                     */
                    "webhook-id": components["parameters"]["WebhookIdHeader"];
                    /**
                     * @description When this attempt was signed, in Unix seconds. Reject timestamps far from now (the standardwebhooks verifier allows 5 minutes).
                     * @example 1773742934
                     */
                    "webhook-timestamp": components["parameters"]["WebhookTimestampHeader"];
                    /**
                     * @description Space-separated `v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">` signatures, one per valid secret (two for 24 hours after a rotation). Verify with a Standard Webhooks library.
                     * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4= v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=
                     */
                    "webhook-signature": components["parameters"]["WebhookSignatureHeader"];
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["InvitationEvent"];
                };
            };
            responses: {
                /** @description Acknowledged. Any other answer, or none within 15 s, is retried later (`410 Gone` disables the endpoint). */
                "2XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "invitation.accepted": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * invitation.accepted
         * @description An invitation was accepted (`member.added` follows in the same change). Delivered signed (Standard Webhooks headers); answer any 2xx within 15 s to acknowledge.
         */
        post: {
            parameters: {
                query?: never;
                header: {
                    /**
                     * @description The event's id, the same on every retry of a delivery; deduplicate by it.
                     * @example evt_01JD3Y8N6V4Q2X7R5T9W1K3M5X
                     */
                    "webhook-id": components["parameters"]["WebhookIdHeader"];
                    /**
                     * @description When this attempt was signed, in Unix seconds. Reject timestamps far from now (the standardwebhooks verifier allows 5 minutes).
                     * @example 1773742934
                     */
                    "webhook-timestamp": components["parameters"]["WebhookTimestampHeader"];
                    /**
                     * @description Space-separated `v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">` signatures, one per valid secret (two for 24 hours after a rotation). Verify with a Standard Webhooks library.
                     * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4= v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=
                     */
                    "webhook-signature": components["parameters"]["WebhookSignatureHeader"];
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["InvitationEvent"];
                };
            };
            responses: {
                /** @description Acknowledged. Any other answer, or none within 15 s, is retried later (`410 Gone` disables the endpoint). */
                "2XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "invitation.revoked": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * invitation.revoked
         * @description A pending invitation was revoked. Delivered signed (Standard Webhooks headers); answer any 2xx within 15 s to acknowledge.
         */
        post: {
            parameters: {
                query?: never;
                header: {
                    /**
                     * @description The event's id, the same on every retry of a delivery; deduplicate by it.
                     * @example evt_01JD3Y8N6V4Q2X7R5T9W1K3M5X
                     */
                    "webhook-id": components["parameters"]["WebhookIdHeader"];
                    /**
                     * @description When this attempt was signed, in Unix seconds. Reject timestamps far from now (the standardwebhooks verifier allows 5 minutes).
                     * @example 1773742934
                     */
                    "webhook-timestamp": components["parameters"]["WebhookTimestampHeader"];
                    /**
                     * @description Space-separated `v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">` signatures, one per valid secret (two for 24 hours after a rotation). Verify with a Standard Webhooks library.
                     * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4= v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=
                     */
                    "webhook-signature": components["parameters"]["WebhookSignatureHeader"];
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["InvitationEvent"];
                };
            };
            responses: {
                /** @description Acknowledged. Any other answer, or none within 15 s, is retried later (`410 Gone` disables the endpoint). */
                "2XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface components {
    schemas: {
        /**
         * Format: date-time
         * @description RFC 3339 instant; responses are in UTC. Accepted from `0001-01-01T00:00:00Z` to `9999-12-31T23:59:59.999Z` once converted to UTC (see the "Text and instants" conventions).
         * @example 2026-03-17T10:22:14.000Z
         */
        Timestamp: string;
        /**
         * @description Project id, `prj_` followed by 26 characters.
         * @example prj_01JD3Y8N6V4Q2X7R5T9W1K3M5R
         */
        ProjectId: string;
        /**
         * @description Lowercase letters, digits and hyphens; no leading or trailing hyphen.
         * @example payments-api
         */
        Slug: string;
        /**
         * @description Display name, 1 to 100 characters, not only spaces (see the "Text and instants" conventions).
         * @example payments-api
         */
        ProjectName: string;
        /**
         * @description Free text, at most 1000 characters (line breaks and tabs allowed, no other control characters), or null.
         * @example Card and wallet payments.
         */
        ProjectDescription: string | null;
        /**
         * @example {
         *       "id": "prj_01JD3Y8N6V4Q2X7R5T9W1K3M5R",
         *       "name": "payments-api",
         *       "slug": "payments-api",
         *       "description": "Card and wallet payments.",
         *       "created_at": "2026-03-17T10:22:14.000Z",
         *       "updated_at": "2026-03-18T08:01:55.000Z"
         *     }
         */
        Project: {
            id: components["schemas"]["ProjectId"];
            name: components["schemas"]["ProjectName"];
            slug: components["schemas"]["Slug"];
            description: components["schemas"]["ProjectDescription"];
            created_at: components["schemas"]["Timestamp"];
            updated_at: components["schemas"]["Timestamp"];
        };
        /**
         * @example {
         *       "data": {
         *         "id": "prj_01JD3Y8N6V4Q2X7R5T9W1K3M5R",
         *         "name": "payments-api",
         *         "slug": "payments-api",
         *         "description": "Card and wallet payments.",
         *         "created_at": "2026-03-17T10:22:14.000Z",
         *         "updated_at": "2026-03-18T08:01:55.000Z"
         *       }
         *     }
         */
        ProjectEnvelope: {
            data: components["schemas"]["Project"];
        };
        /**
         * @example {
         *       "name": "Payments API",
         *       "slug": "payments-api",
         *       "description": "Card and wallet payments."
         *     }
         */
        ProjectCreate: {
            name: components["schemas"]["ProjectName"];
            slug?: components["schemas"]["Slug"];
            description?: components["schemas"]["ProjectDescription"];
        };
        /**
         * @example {
         *       "description": "Card, wallet and bank payments."
         *     }
         */
        ProjectUpdate: {
            name?: components["schemas"]["ProjectName"];
            slug?: components["schemas"]["Slug"];
            description?: components["schemas"]["ProjectDescription"];
        };
        /**
         * @example {
         *       "limit": 20,
         *       "has_more": true,
         *       "next_cursor": "eyJjIjoiMjAyNi0wMy0xN1QxMDoyMjoxNC4wMDBaIiwiaSI6InByal8wMUpEM1k4TjZWNFEyWDdSNVQ5VzFLM001UiJ9.k8QmZ2h0c2lnbmF0dXJl"
         *     }
         */
        PageMeta: {
            /**
             * Format: int32
             * @description The page size that was applied.
             */
            limit: number;
            /** @description Whether another page follows. */
            has_more: boolean;
            /** @description Pass as `cursor` to get the next page; null on the last page. */
            next_cursor: string | null;
        };
        /**
         * @description A user's role in a workspace; the roles this version knows.
         * @example admin
         * @enum {string}
         */
        Role: "owner" | "admin" | "member";
        /**
         * @description A role as responses show it (open enum; see the "Versioning" conventions).
         * @example member
         */
        RoleValue: components["schemas"]["Role"] | string;
        /**
         * @description A permission a credential carries; the scopes this version knows (and accepts in requests).
         * @example projects:read
         * @enum {string}
         */
        Scope: "projects:read" | "projects:write" | "usage:read" | "keys:write" | "webhooks:read" | "webhooks:write" | "members:read" | "members:write";
        /**
         * @description A scope as responses show it (open enum; see the "Versioning" conventions).
         * @example usage:read
         */
        ScopeValue: components["schemas"]["Scope"] | string;
        /**
         * @example {
         *       "email": "owner@example.com",
         *       "password": "correct horse battery staple"
         *     }
         */
        LoginRequest: {
            /** Format: email */
            email: string;
            password: string;
            /** @description The workspace to act in; defaults to the user's oldest membership. */
            workspace_id?: string;
        };
        /**
         * @example {
         *       "refresh_token": "rt_Qm9pbGVycGxhdGUtZXhhbXBsZS12YWx1ZS0wMTIzNDU2Nzg5"
         *     }
         */
        RefreshRequest: {
            refresh_token: string;
        };
        /**
         * @example {
         *       "access_token": "eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c3JfMDEifQ.c2lnbmF0dXJl",
         *       "token_type": "Bearer",
         *       "expires_in": 900,
         *       "refresh_token": "rt_Qm9pbGVycGxhdGUtZXhhbXBsZS12YWx1ZS0wMTIzNDU2Nzg5",
         *       "refresh_expires_in": 604800,
         *       "scope": "projects:read projects:write usage:read keys:write webhooks:write"
         *     }
         */
        TokenPair: {
            /** @description JWT for `Authorization: Bearer`. */
            access_token: string;
            /** @constant */
            token_type: "Bearer";
            /**
             * Format: int32
             * @description Seconds until the access token expires.
             */
            expires_in: number;
            /** @description Single-use token for `POST /v1/auth/refresh`. Store it securely. */
            refresh_token: string;
            /**
             * Format: int32
             * @description Seconds until the refresh token expires if unused.
             */
            refresh_expires_in: number;
            /** @description Space-separated scopes granted. */
            scope: string;
        };
        /**
         * @example {
         *       "id": "usr_01JD3Y8N6V4Q2X7R5T9W1K3M5P",
         *       "email": "owner@example.com",
         *       "created_at": "2026-03-17T10:22:14.000Z"
         *     }
         */
        User: {
            id: string;
            /** Format: email */
            email: string;
            created_at: components["schemas"]["Timestamp"];
        };
        /**
         * @example {
         *       "id": "ws_01JD3Y8N6V4Q2X7R5T9W1K3M5Q",
         *       "name": "Acme",
         *       "created_at": "2026-03-17T10:22:14.000Z"
         *     }
         */
        Workspace: {
            id: string;
            name: string;
            created_at: components["schemas"]["Timestamp"];
        };
        /**
         * @example {
         *       "workspace_id": "ws_01JD3Y8N6V4Q2X7R5T9W1K3M5Q",
         *       "workspace_name": "Acme",
         *       "role": "owner"
         *     }
         */
        Membership: {
            workspace_id: string;
            workspace_name: string;
            role: components["schemas"]["RoleValue"];
        };
        /**
         * @description Who is calling: a user signed in with a bearer token (`user`), or an API key (`api_key`); the kinds this version knows.
         * @example user
         * @enum {string}
         */
        PrincipalType: "user" | "api_key";
        /**
         * @description `type: user` for a bearer token (with `user`, `role` and `memberships`); `type: api_key` for
         *     an API key (with `api_key`, and also `user` when a bearer token was sent alongside).
         * @example {
         *       "type": "user",
         *       "user": {
         *         "id": "usr_01JD3Y8N6V4Q2X7R5T9W1K3M5P",
         *         "email": "owner@example.com",
         *         "created_at": "2026-03-17T10:22:14.000Z"
         *       },
         *       "workspace": {
         *         "id": "ws_01JD3Y8N6V4Q2X7R5T9W1K3M5Q",
         *         "name": "Acme",
         *         "created_at": "2026-03-17T10:22:14.000Z"
         *       },
         *       "role": "owner",
         *       "scopes": [
         *         "projects:read",
         *         "projects:write",
         *         "usage:read",
         *         "keys:write",
         *         "webhooks:write"
         *       ],
         *       "memberships": [
         *         {
         *           "workspace_id": "ws_01JD3Y8N6V4Q2X7R5T9W1K3M5Q",
         *           "workspace_name": "Acme",
         *           "role": "owner"
         *         }
         *       ]
         *     }
         */
        Me: {
            /** @description The kind of principal (open enum; see the "Versioning" conventions): `user` for a bearer token, `api_key` for an API key. */
            type: components["schemas"]["PrincipalType"] | string;
            user?: components["schemas"]["User"];
            api_key?: components["schemas"]["ApiKey"];
            workspace: components["schemas"]["Workspace"];
            role?: components["schemas"]["RoleValue"];
            scopes: components["schemas"]["ScopeValue"][];
            /** @description Every workspace the user belongs to, with the role held there; `POST /v1/auth/switch` (or login with `workspace_id`) switches. */
            memberships?: components["schemas"]["Membership"][];
        };
        /**
         * @description Fields shared by every representation of an API key.
         * @example {
         *       "id": "key_01JD3Y8N6V4Q2X7R5T9W1K3M5T",
         *       "name": "billing-worker",
         *       "scopes": [
         *         "projects:read"
         *       ],
         *       "prefix": "cp_live_7Hq2",
         *       "last4": "Zx9A",
         *       "created_at": "2026-03-17T10:22:14.000Z",
         *       "expires_at": null,
         *       "last_used_at": null,
         *       "rotated_at": null
         *     }
         */
        ApiKeyFields: {
            id: string;
            name: string;
            scopes: components["schemas"]["ScopeValue"][];
            /** @description The first 12 characters of the key (`cp_live_` and four more), to recognize it. */
            prefix: string;
            /** @description The last four characters of the key. */
            last4: string;
            created_at: components["schemas"]["Timestamp"];
            /**
             * Format: date-time
             * @description When the key stops working, or null for never.
             */
            expires_at: string | null;
            /**
             * Format: date-time
             * @description Last successful use; recorded at most once a minute, so it may lag by up to a minute.
             */
            last_used_at: string | null;
            /**
             * Format: date-time
             * @description When the key was last rotated.
             */
            rotated_at: string | null;
        };
        /**
         * @description An API key as every representation shows it (never the key itself).
         * @example {
         *       "id": "key_01JD3Y8N6V4Q2X7R5T9W1K3M5T",
         *       "name": "billing-worker",
         *       "scopes": [
         *         "projects:read"
         *       ],
         *       "prefix": "cp_live_7Hq2",
         *       "last4": "Zx9A",
         *       "created_at": "2026-03-17T10:22:14.000Z",
         *       "expires_at": null,
         *       "last_used_at": null,
         *       "rotated_at": null
         *     }
         */
        ApiKey: components["schemas"]["ApiKeyFields"];
        /**
         * @example {
         *       "id": "key_01JD3Y8N6V4Q2X7R5T9W1K3M5T",
         *       "name": "billing-worker",
         *       "scopes": [
         *         "projects:read"
         *       ],
         *       "prefix": "cp_live_rGMJ",
         *       "last4": "H4DE",
         *       "created_at": "2026-03-17T10:22:14.000Z",
         *       "expires_at": "2027-03-17T00:00:00.000Z",
         *       "last_used_at": null,
         *       "rotated_at": null,
         *       "key": "cp_live_rGMJ3loQoPu1Cyv3jpZSMomRmCpzcRhC3WH4DE"
         *     }
         */
        ApiKeyCreated: {
            /** @description The full key. Shown only in this response. */
            key: string;
        } & components["schemas"]["ApiKeyFields"];
        /**
         * @example {
         *       "data": {
         *         "id": "key_01JD3Y8N6V4Q2X7R5T9W1K3M5T",
         *         "name": "billing-worker",
         *         "scopes": [
         *           "projects:read"
         *         ],
         *         "prefix": "cp_live_7Hq2",
         *         "last4": "Zx9A",
         *         "created_at": "2026-03-17T10:22:14.000Z",
         *         "expires_at": null,
         *         "last_used_at": null,
         *         "rotated_at": null
         *       }
         *     }
         */
        ApiKeyEnvelope: {
            data: components["schemas"]["ApiKey"];
        };
        /**
         * @example {
         *       "data": {
         *         "id": "key_01JD3Y8N6V4Q2X7R5T9W1K3M5T",
         *         "name": "billing-worker",
         *         "scopes": [
         *           "projects:read"
         *         ],
         *         "prefix": "cp_live_rGMJ",
         *         "last4": "H4DE",
         *         "created_at": "2026-03-17T10:22:14.000Z",
         *         "expires_at": "2027-03-17T00:00:00.000Z",
         *         "last_used_at": null,
         *         "rotated_at": null,
         *         "key": "cp_live_rGMJ3loQoPu1Cyv3jpZSMomRmCpzcRhC3WH4DE"
         *       }
         *     }
         */
        ApiKeyCreatedEnvelope: {
            data: components["schemas"]["ApiKeyCreated"];
        };
        /**
         * @example {
         *       "name": "billing-worker",
         *       "scopes": [
         *         "projects:read",
         *         "usage:read"
         *       ],
         *       "expires_at": "2027-03-17T00:00:00Z"
         *     }
         */
        ApiKeyCreate: {
            /** @description What the key is for (not only spaces; see the "Text and instants" conventions). */
            name: string;
            scopes: components["schemas"]["Scope"][];
            /** @description Optional expiry, in the future. */
            expires_at?: components["schemas"]["Timestamp"];
        };
        /**
         * @example {
         *       "grace_period_seconds": 3600
         *     }
         */
        ApiKeyRotate: {
            /**
             * Format: int32
             * @description How long the previous secret keeps working (at most 7 days).
             * @default 0
             */
            grace_period_seconds: number;
        };
        /**
         * @description A date (`2026-03-01`, meaning midnight UTC) or an RFC 3339 instant, from `0001-01-01` to `9999-12-31` in UTC.
         * @example 2026-03-01
         */
        DateOrInstant: string;
        /**
         * @description Bucket size; the sizes this version knows (and accepts in requests).
         * @default day
         * @example hour
         * @enum {string}
         */
        Granularity: "hour" | "day";
        /**
         * @description A dimension usage can be split by; the ones this version knows (and accepts in requests).
         * @example operation
         * @enum {string}
         */
        UsageGroupBy: "operation" | "api_key" | "status_class";
        /**
         * @example {
         *       "requests": 184203,
         *       "errors": 387,
         *       "error_rate": 0.0021
         *     }
         */
        UsageCounts: {
            /** Format: int64 */
            requests: number;
            /**
             * Format: int64
             * @description Responses with status 400 or above.
             */
            errors: number;
            /** @description `errors / requests`; 0 when there were no requests. */
            error_rate: number;
        };
        /**
         * @example {
         *       "start": "2026-03-01T00:00:00.000Z",
         *       "end": "2026-03-02T00:00:00.000Z",
         *       "requests": 90110,
         *       "errors": 200,
         *       "error_rate": 0.0022
         *     }
         */
        UsageBucket: {
            start: components["schemas"]["Timestamp"];
            end: components["schemas"]["Timestamp"];
        } & components["schemas"]["UsageCounts"];
        /**
         * @example {
         *       "key": "listProjects",
         *       "requests": 1200,
         *       "errors": 3,
         *       "error_rate": 0.0025
         *     }
         */
        UsageGroup: {
            /** @description The operationId, the API key id (or user id), or the status class (`2xx`, `4xx`, ...). */
            key: string;
        } & components["schemas"]["UsageCounts"];
        /**
         * @example {
         *       "from": "2026-03-01",
         *       "to": "2026-03-03",
         *       "requests": 184203,
         *       "errors": 387,
         *       "error_rate": 0.0021,
         *       "granularity": "day",
         *       "buckets": [
         *         {
         *           "start": "2026-03-01T00:00:00.000Z",
         *           "end": "2026-03-02T00:00:00.000Z",
         *           "requests": 90110,
         *           "errors": 200,
         *           "error_rate": 0.0022
         *         },
         *         {
         *           "start": "2026-03-02T00:00:00.000Z",
         *           "end": "2026-03-03T00:00:00.000Z",
         *           "requests": 94093,
         *           "errors": 187,
         *           "error_rate": 0.002
         *         }
         *       ],
         *       "group_by": "status_class",
         *       "groups": [
         *         {
         *           "key": "2xx",
         *           "requests": 183816,
         *           "errors": 0,
         *           "error_rate": 0
         *         },
         *         {
         *           "key": "4xx",
         *           "requests": 380,
         *           "errors": 380,
         *           "error_rate": 1
         *         },
         *         {
         *           "key": "5xx",
         *           "requests": 7,
         *           "errors": 7,
         *           "error_rate": 1
         *         }
         *       ]
         *     }
         */
        Usage: {
            /** @description The `from` parameter as given. */
            from: string;
            /** @description The `to` parameter as given. */
            to: string;
            /** @description Bucket size (open enum; see the "Versioning" conventions). */
            granularity: components["schemas"]["Granularity"] | string;
            buckets: components["schemas"]["UsageBucket"][];
            /** @description The dimension of `groups` (open enum; see the "Versioning" conventions). */
            group_by?: components["schemas"]["UsageGroupBy"] | string;
            groups?: components["schemas"]["UsageGroup"][];
        } & components["schemas"]["UsageCounts"];
        /**
         * @description Event id, `evt_` followed by 26 characters; the `webhook-id` of its deliveries.
         * @example evt_01JD3Y8N6V4Q2X7R5T9W1K3M5X
         */
        EventId: string;
        /**
         * @description Workspace id.
         * @example ws_01JD3Y8N6V4Q2X7R5T9W1K3M5Y
         */
        WorkspaceId: string;
        /**
         * @description Webhook endpoint id, `whe_` followed by 26 characters.
         * @example whe_01JD3Y8N6V4Q2X7R5T9W1K3M5V
         */
        WebhookEndpointId: string;
        /**
         * @description The event types this version sends (and accepts in `enabled_events`).
         * @example project.created
         * @enum {string}
         */
        EventType: "project.created" | "project.updated" | "project.deleted" | "api_key.created" | "api_key.rotated" | "api_key.revoked" | "webhook_endpoint.created" | "webhook_endpoint.updated" | "webhook_endpoint.deleted" | "webhook_endpoint.disabled" | "ping" | "member.added" | "member.updated" | "member.removed" | "invitation.created" | "invitation.accepted" | "invitation.revoked";
        /**
         * @description An event type as responses show it (open enum; see the "Versioning" conventions).
         * @example project.created
         */
        EventTypeValue: components["schemas"]["EventType"] | string;
        /**
         * @description An event type, or `*` for every type (also those added later).
         * @example *
         */
        EnabledEvent: components["schemas"]["EventType"] | "*";
        /**
         * @description An entry of `enabled_events` as responses show it (open enum).
         * @example project.created
         */
        EnabledEventValue: components["schemas"]["EnabledEvent"] | string;
        /**
         * Format: uri
         * @description Where deliveries are POSTed. `https` (plain `http` only where the deployment allows private addresses); no user name or password in it.
         * @example https://hooks.example.com/cloud-api
         */
        WebhookUrl: string;
        /**
         * @description `disabled`: nothing is sent to the endpoint; events are still recorded.
         * @example enabled
         * @enum {string}
         */
        WebhookEndpointStatus: "enabled" | "disabled";
        /**
         * @description An endpoint status as responses show it (open enum).
         * @example enabled
         */
        WebhookEndpointStatusValue: components["schemas"]["WebhookEndpointStatus"] | string;
        /**
         * @description Why an endpoint is disabled: by a user (`manual`), because it answered `410 Gone` (`gone`), or because every delivery failed for the configured period, 5 days by default (`failing`).
         * @example gone
         * @enum {string}
         */
        WebhookDisabledReason: "manual" | "gone" | "failing";
        /**
         * @example {
         *       "id": "whe_01JD3Y8N6V4Q2X7R5T9W1K3M5V",
         *       "url": "https://hooks.example.com/cloud-api",
         *       "description": "Deploy bot",
         *       "enabled_events": [
         *         "project.created"
         *       ],
         *       "status": "enabled",
         *       "disabled_reason": null,
         *       "failing_since": null,
         *       "created_at": "2026-03-17T10:22:14.000Z",
         *       "updated_at": "2026-03-17T10:22:14.000Z"
         *     }
         */
        WebhookEndpoint: {
            id: components["schemas"]["WebhookEndpointId"];
            url: components["schemas"]["WebhookUrl"];
            description: string | null;
            enabled_events: components["schemas"]["EnabledEventValue"][];
            status: components["schemas"]["WebhookEndpointStatusValue"];
            /** @description Why the endpoint is disabled (open enum); null while enabled. */
            disabled_reason: components["schemas"]["WebhookDisabledReason"] | string | null;
            /**
             * Format: date-time
             * @description Start of the current run of failed deliveries; null after any success.
             */
            failing_since: string | null;
            created_at: components["schemas"]["Timestamp"];
            updated_at: components["schemas"]["Timestamp"];
        };
        /**
         * @example {
         *       "id": "whe_01JD3Y8N6V4Q2X7R5T9W1K3M5V",
         *       "url": "https://hooks.example.com/cloud-api",
         *       "description": "Deploy bot",
         *       "enabled_events": [
         *         "project.created"
         *       ],
         *       "status": "enabled",
         *       "disabled_reason": null,
         *       "failing_since": null,
         *       "created_at": "2026-03-17T10:22:14.000Z",
         *       "updated_at": "2026-03-17T10:22:14.000Z",
         *       "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
         *       "previous_secret_expires_at": null
         *     }
         */
        WebhookEndpointWithSecret: {
            /** @description The signing secret, `whsec_` and base64 of 24 to 64 random bytes. Shown only in this response. */
            secret: string;
            /**
             * Format: date-time
             * @description After a rotation, until when the previous secret also signs every delivery.
             */
            previous_secret_expires_at: string | null;
        } & components["schemas"]["WebhookEndpoint"];
        /**
         * @example {
         *       "data": {
         *         "id": "whe_01JD3Y8N6V4Q2X7R5T9W1K3M5V",
         *         "url": "https://hooks.example.com/cloud-api",
         *         "description": "Deploy bot",
         *         "enabled_events": [
         *           "project.created"
         *         ],
         *         "status": "enabled",
         *         "disabled_reason": null,
         *         "failing_since": null,
         *         "created_at": "2026-03-17T10:22:14.000Z",
         *         "updated_at": "2026-03-17T10:22:14.000Z"
         *       }
         *     }
         */
        WebhookEndpointEnvelope: {
            data: components["schemas"]["WebhookEndpoint"];
        };
        /**
         * @example {
         *       "data": {
         *         "id": "whe_01JD3Y8N6V4Q2X7R5T9W1K3M5V",
         *         "url": "https://hooks.example.com/cloud-api",
         *         "description": "Deploy bot",
         *         "enabled_events": [
         *           "project.created"
         *         ],
         *         "status": "enabled",
         *         "disabled_reason": null,
         *         "failing_since": null,
         *         "created_at": "2026-03-17T10:22:14.000Z",
         *         "updated_at": "2026-03-17T10:22:14.000Z",
         *         "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
         *         "previous_secret_expires_at": null
         *       }
         *     }
         */
        WebhookEndpointWithSecretEnvelope: {
            data: components["schemas"]["WebhookEndpointWithSecret"];
        };
        /**
         * @example {
         *       "url": "https://hooks.example.com/cloud-api",
         *       "enabled_events": [
         *         "project.created",
         *         "project.deleted"
         *       ],
         *       "description": "Deploy bot"
         *     }
         */
        WebhookEndpointCreate: {
            url: components["schemas"]["WebhookUrl"];
            enabled_events: components["schemas"]["EnabledEvent"][];
            description?: string | null;
        };
        /**
         * @example {
         *       "enabled_events": [
         *         "*"
         *       ]
         *     }
         */
        WebhookEndpointUpdate: {
            url?: components["schemas"]["WebhookUrl"];
            enabled_events?: components["schemas"]["EnabledEvent"][];
            description?: string | null;
            status?: components["schemas"]["WebhookEndpointStatus"];
        };
        /**
         * @description `pending`: an attempt is due or in flight; `succeeded`: a 2xx was received; `failed`: every scheduled attempt failed (or the endpoint answered 410).
         * @example pending
         * @enum {string}
         */
        WebhookDeliveryStatus: "pending" | "succeeded" | "failed";
        /**
         * @example {
         *       "attempt": 1,
         *       "attempted_at": "2026-03-17T10:22:14.120Z",
         *       "response_status": 503,
         *       "duration_ms": 84,
         *       "response_body": "upstream unavailable",
         *       "error": null
         *     }
         */
        WebhookAttempt: {
            /** Format: int32 */
            attempt: number;
            attempted_at: components["schemas"]["Timestamp"];
            /**
             * Format: int32
             * @description The receiver's status, or null when no response came.
             */
            response_status: number | null;
            /** Format: int32 */
            duration_ms: number;
            /** @description The first kilobyte of the response body (as text). */
            response_body: string | null;
            /** @description Why no response came (`timeout`, a network error, a refused address, a redirect not followed). */
            error: string | null;
        };
        /**
         * @example {
         *       "id": "whd_01JD3Y8N6V4Q2X7R5T9W1K3M5W",
         *       "endpoint_id": "whe_01JD3Y8N6V4Q2X7R5T9W1K3M5V",
         *       "event_id": "evt_01JD3Y8N6V4Q2X7R5T9W1K3M5X",
         *       "event_type": "project.created",
         *       "status": "pending",
         *       "attempt_count": 1,
         *       "next_attempt_at": "2026-03-17T10:22:19.000Z",
         *       "created_at": "2026-03-17T10:22:14.000Z",
         *       "attempts": [
         *         {
         *           "attempt": 1,
         *           "attempted_at": "2026-03-17T10:22:14.120Z",
         *           "response_status": 503,
         *           "duration_ms": 84,
         *           "response_body": "upstream unavailable",
         *           "error": null
         *         }
         *       ]
         *     }
         */
        WebhookDelivery: {
            id: string;
            endpoint_id: components["schemas"]["WebhookEndpointId"];
            event_id: components["schemas"]["EventId"];
            event_type: components["schemas"]["EventTypeValue"];
            /** @description The delivery's state (open enum). */
            status: components["schemas"]["WebhookDeliveryStatus"] | string;
            /** Format: int32 */
            attempt_count: number;
            /**
             * Format: date-time
             * @description When the next attempt is due; null when none is planned.
             */
            next_attempt_at: string | null;
            created_at: components["schemas"]["Timestamp"];
            /** @description The latest attempts, newest first. */
            attempts: components["schemas"]["WebhookAttempt"][];
        };
        /**
         * @example {
         *       "data": {
         *         "id": "whd_01JD3Y8N6V4Q2X7R5T9W1K3M5W",
         *         "endpoint_id": "whe_01JD3Y8N6V4Q2X7R5T9W1K3M5V",
         *         "event_id": "evt_01JD3Y8N6V4Q2X7R5T9W1K3M5X",
         *         "event_type": "project.created",
         *         "status": "pending",
         *         "attempt_count": 1,
         *         "next_attempt_at": "2026-03-17T10:22:19.000Z",
         *         "created_at": "2026-03-17T10:22:14.000Z",
         *         "attempts": [
         *           {
         *             "attempt": 1,
         *             "attempted_at": "2026-03-17T10:22:14.120Z",
         *             "response_status": 503,
         *             "duration_ms": 84,
         *             "response_body": "upstream unavailable",
         *             "error": null
         *           }
         *         ]
         *       }
         *     }
         */
        WebhookDeliveryEnvelope: {
            data: components["schemas"]["WebhookDelivery"];
        };
        /**
         * @example {
         *       "since": "2026-03-17T00:00:00.000Z"
         *     }
         */
        WebhookRecover: {
            since: components["schemas"]["Timestamp"];
        };
        /**
         * @example {
         *       "data": {
         *         "requeued": 12
         *       }
         *     }
         */
        WebhookRecoverResultEnvelope: {
            data: {
                /** Format: int32 */
                requeued: number;
            };
        };
        /**
         * @description The API request that caused the event (null members for events the service raised itself).
         * @example {
         *       "id": "req_01JD3Y8N6V4Q2X7R5T9W1K3M5S",
         *       "idempotency_key": "7c9e6679-7425-40de-944b-e07fc1f90ae7"
         *     }
         */
        EventRequest: {
            id: string | null;
            idempotency_key: string | null;
        };
        /**
         * @description The values the changed fields had before the update.
         * @example {
         *       "name": "payments",
         *       "updated_at": "2026-03-17T10:22:14.000Z"
         *     }
         */
        ProjectPreviousAttributes: {
            name?: components["schemas"]["ProjectName"];
            slug?: components["schemas"]["Slug"];
            description?: components["schemas"]["ProjectDescription"];
            updated_at?: components["schemas"]["Timestamp"];
        };
        /**
         * @description The key's previous secret, as it was shown before the rotation.
         * @example {
         *       "prefix": "cp_live_7Hq2",
         *       "last4": "Zx9A",
         *       "rotated_at": null
         *     }
         */
        ApiKeyPreviousAttributes: {
            prefix?: string;
            last4?: string;
            /** Format: date-time */
            rotated_at?: string | null;
        };
        /**
         * @description The values the changed fields had before the update.
         * @example {
         *       "status": "enabled"
         *     }
         */
        WebhookEndpointPreviousAttributes: {
            url?: components["schemas"]["WebhookUrl"];
            description?: string | null;
            enabled_events?: components["schemas"]["EnabledEventValue"][];
            status?: components["schemas"]["WebhookEndpointStatusValue"];
            updated_at?: components["schemas"]["Timestamp"];
        };
        /**
         * @example {
         *       "endpoint_id": "whe_01JD3Y8N6V4Q2X7R5T9W1K3M5V",
         *       "message": "A test event from Cloud API."
         *     }
         */
        Ping: {
            endpoint_id: components["schemas"]["WebhookEndpointId"];
            message: string;
        };
        /**
         * @description A project was created, updated (with the previous values of what changed) or deleted (the project as it was).
         * @example {
         *       "id": "evt_01JD3Y8N6V4Q2X7R5T9W1K3M5X",
         *       "type": "project.updated",
         *       "created": "2026-03-18T08:01:55.000Z",
         *       "workspace_id": "ws_01JD3Y8N6V4Q2X7R5T9W1K3M5Y",
         *       "data": {
         *         "object": {
         *           "id": "prj_01JD3Y8N6V4Q2X7R5T9W1K3M5R",
         *           "name": "payments-api",
         *           "slug": "payments-api",
         *           "description": null,
         *           "created_at": "2026-03-17T10:22:14.000Z",
         *           "updated_at": "2026-03-18T08:01:55.000Z"
         *         },
         *         "previous_attributes": {
         *           "name": "payments",
         *           "updated_at": "2026-03-17T10:22:14.000Z"
         *         }
         *       },
         *       "request": {
         *         "id": "req_01JD3Y8N6V4Q2X7R5T9W1K3M5S",
         *         "idempotency_key": "7c9e6679-7425-40de-944b-e07fc1f90ae7"
         *       }
         *     }
         */
        ProjectEvent: {
            id: components["schemas"]["EventId"];
            /** @enum {string} */
            type: "project.created" | "project.updated" | "project.deleted";
            created: components["schemas"]["Timestamp"];
            workspace_id: components["schemas"]["WorkspaceId"];
            data: {
                object: components["schemas"]["Project"];
                previous_attributes?: components["schemas"]["ProjectPreviousAttributes"];
            };
            request: components["schemas"]["EventRequest"];
        };
        /**
         * @description An API key was created, rotated or revoked. Never carries the key itself.
         * @example {
         *       "id": "evt_01JD3Y8N6V4Q2X7R5T9W1K3M60",
         *       "type": "api_key.rotated",
         *       "created": "2026-03-18T08:01:55.000Z",
         *       "workspace_id": "ws_01JD3Y8N6V4Q2X7R5T9W1K3M5Y",
         *       "data": {
         *         "object": {
         *           "id": "key_01JD3Y8N6V4Q2X7R5T9W1K3M5T",
         *           "name": "billing-worker",
         *           "scopes": [
         *             "projects:read"
         *           ],
         *           "prefix": "cp_live_BiUg",
         *           "last4": "5Ka9",
         *           "created_at": "2026-03-17T10:22:14.000Z",
         *           "expires_at": null,
         *           "last_used_at": null,
         *           "rotated_at": "2026-04-01T09:00:00.000Z"
         *         },
         *         "previous_attributes": {
         *           "prefix": "cp_live_7Hq2",
         *           "last4": "Zx9A",
         *           "rotated_at": null
         *         }
         *       },
         *       "request": {
         *         "id": "req_01JD3Y8N6V4Q2X7R5T9W1K3M5S",
         *         "idempotency_key": "7c9e6679-7425-40de-944b-e07fc1f90ae7"
         *       }
         *     }
         */
        ApiKeyEvent: {
            id: components["schemas"]["EventId"];
            /** @enum {string} */
            type: "api_key.created" | "api_key.rotated" | "api_key.revoked";
            created: components["schemas"]["Timestamp"];
            workspace_id: components["schemas"]["WorkspaceId"];
            data: {
                object: components["schemas"]["ApiKey"];
                previous_attributes?: components["schemas"]["ApiKeyPreviousAttributes"];
            };
            request: components["schemas"]["EventRequest"];
        };
        /**
         * @description A webhook endpoint was created, updated, deleted or disabled. Never carries the secret.
         * @example {
         *       "id": "evt_01JD3Y8N6V4Q2X7R5T9W1K3M61",
         *       "type": "webhook_endpoint.disabled",
         *       "created": "2026-03-18T08:01:55.000Z",
         *       "workspace_id": "ws_01JD3Y8N6V4Q2X7R5T9W1K3M5Y",
         *       "data": {
         *         "object": {
         *           "id": "whe_01JD3Y8N6V4Q2X7R5T9W1K3M5V",
         *           "url": "https://hooks.example.com/cloud-api",
         *           "description": "Deploy bot",
         *           "enabled_events": [
         *             "project.created"
         *           ],
         *           "status": "disabled",
         *           "disabled_reason": "gone",
         *           "failing_since": null,
         *           "created_at": "2026-03-17T10:22:14.000Z",
         *           "updated_at": "2026-03-17T10:22:14.000Z"
         *         },
         *         "previous_attributes": {
         *           "status": "enabled"
         *         }
         *       },
         *       "request": {
         *         "id": null,
         *         "idempotency_key": null
         *       }
         *     }
         */
        WebhookEndpointEvent: {
            id: components["schemas"]["EventId"];
            /** @enum {string} */
            type: "webhook_endpoint.created" | "webhook_endpoint.updated" | "webhook_endpoint.deleted" | "webhook_endpoint.disabled";
            created: components["schemas"]["Timestamp"];
            workspace_id: components["schemas"]["WorkspaceId"];
            data: {
                object: components["schemas"]["WebhookEndpoint"];
                previous_attributes?: components["schemas"]["WebhookEndpointPreviousAttributes"];
            };
            request: components["schemas"]["EventRequest"];
        };
        /**
         * @description Sent by the test operation to one endpoint.
         * @example {
         *       "id": "evt_01JD3Y8N6V4Q2X7R5T9W1K3M62",
         *       "type": "ping",
         *       "created": "2026-03-18T08:01:55.000Z",
         *       "workspace_id": "ws_01JD3Y8N6V4Q2X7R5T9W1K3M5Y",
         *       "data": {
         *         "object": {
         *           "endpoint_id": "whe_01JD3Y8N6V4Q2X7R5T9W1K3M5V",
         *           "message": "A test event from Cloud API."
         *         }
         *       },
         *       "request": {
         *         "id": "req_01JD3Y8N6V4Q2X7R5T9W1K3M5S",
         *         "idempotency_key": "7c9e6679-7425-40de-944b-e07fc1f90ae7"
         *       }
         *     }
         */
        PingEvent: {
            id: components["schemas"]["EventId"];
            /** @enum {string} */
            type: "ping";
            created: components["schemas"]["Timestamp"];
            workspace_id: components["schemas"]["WorkspaceId"];
            data: {
                object: components["schemas"]["Ping"];
            };
            request: components["schemas"]["EventRequest"];
        };
        /**
         * @description User id, `usr_` followed by 26 characters.
         * @example usr_01JD3Y8N6V4Q2X7R5T9W1K3M5P
         */
        UserId: string;
        /**
         * @description Invitation id, `inv_` followed by 26 characters.
         * @example inv_01JD3Y8N6V4Q2X7R5T9W1K3M63
         */
        InvitationId: string;
        /**
         * @description A user's membership of the workspace.
         * @example {
         *       "user_id": "usr_01JD3Y8N6V4Q2X7R5T9W1K3M5P",
         *       "email": "owner@example.com",
         *       "role": "owner",
         *       "joined_at": "2026-03-17T10:22:14.000Z"
         *     }
         */
        Member: {
            user_id: components["schemas"]["UserId"];
            /** Format: email */
            email: string;
            role: components["schemas"]["RoleValue"];
            joined_at: components["schemas"]["Timestamp"];
        };
        /**
         * @example {
         *       "data": {
         *         "user_id": "usr_01JD3Y8N6V4Q2X7R5T9W1K3M5P",
         *         "email": "owner@example.com",
         *         "role": "owner",
         *         "joined_at": "2026-03-17T10:22:14.000Z"
         *       }
         *     }
         */
        MemberEnvelope: {
            data: components["schemas"]["Member"];
        };
        /**
         * @example {
         *       "role": "admin"
         *     }
         */
        MemberUpdate: {
            role: components["schemas"]["Role"];
        };
        /**
         * @description Where an invitation stands: waiting for its token (`pending`), used (`accepted`), withdrawn (`revoked`) or past `expires_at` unused (`expired`).
         * @example pending
         * @enum {string}
         */
        InvitationStatus: "pending" | "accepted" | "revoked" | "expired";
        /**
         * @description An invitation to join the workspace. Never carries its token, which is shown once, at creation.
         * @example {
         *       "id": "inv_01JD3Y8N6V4Q2X7R5T9W1K3M63",
         *       "email": "dev@example.com",
         *       "role": "member",
         *       "status": "pending",
         *       "invited_by": "usr_01JD3Y8N6V4Q2X7R5T9W1K3M5P",
         *       "created_at": "2026-03-17T10:22:14.000Z",
         *       "expires_at": "2026-03-24T10:22:14.000Z"
         *     }
         */
        Invitation: {
            id: components["schemas"]["InvitationId"];
            /** Format: email */
            email: string;
            role: components["schemas"]["RoleValue"];
            /** @description Where the invitation stands (open enum; see the "Versioning" conventions). */
            status: components["schemas"]["InvitationStatus"] | string;
            /** @description The user, or the API key, that sent the invitation. */
            invited_by: string;
            created_at: components["schemas"]["Timestamp"];
            expires_at: components["schemas"]["Timestamp"];
        };
        /**
         * @description An invitation with its token, as created.
         * @example {
         *       "id": "inv_01JD3Y8N6V4Q2X7R5T9W1K3M63",
         *       "email": "dev@example.com",
         *       "role": "member",
         *       "status": "pending",
         *       "invited_by": "usr_01JD3Y8N6V4Q2X7R5T9W1K3M5P",
         *       "created_at": "2026-03-17T10:22:14.000Z",
         *       "expires_at": "2026-03-24T10:22:14.000Z",
         *       "token": "cpi_1hX0kq9Vb2cQm3ZyT8rL5nWdA7eF4gJ6sUoPiKxYzB0"
         *     }
         */
        InvitationCreated: components["schemas"]["Invitation"] & {
            /** @description The secret the invitee accepts with; shown only here. */
            token: string;
        };
        /**
         * @example {
         *       "email": "dev@example.com",
         *       "role": "member"
         *     }
         */
        InvitationCreate: {
            /** Format: email */
            email: string;
            role: components["schemas"]["Role"];
        };
        /**
         * @example {
         *       "token": "cpi_1hX0kq9Vb2cQm3ZyT8rL5nWdA7eF4gJ6sUoPiKxYzB0",
         *       "password": "correct horse battery staple"
         *     }
         */
        InvitationAccept: {
            token: string;
            /** @description For a new account, the password it gets (the password policy applies); for an existing account, its password. */
            password: string;
        };
        /**
         * @example {
         *       "workspace_id": "ws_01JD3Y8N6V4Q2X7R5T9W1K3M5Y"
         *     }
         */
        SwitchWorkspaceRequest: {
            workspace_id: components["schemas"]["WorkspaceId"];
        };
        /**
         * @description The values the changed fields had before the update.
         * @example {
         *       "role": "member"
         *     }
         */
        MemberPreviousAttributes: {
            role?: components["schemas"]["RoleValue"];
        };
        /**
         * @description A user joined the workspace, had their role changed (with the previous role) or was removed.
         * @example {
         *       "id": "evt_01JD3Y8N6V4Q2X7R5T9W1K3M64",
         *       "type": "member.updated",
         *       "created": "2026-03-18T08:01:55.000Z",
         *       "workspace_id": "ws_01JD3Y8N6V4Q2X7R5T9W1K3M5Y",
         *       "data": {
         *         "object": {
         *           "user_id": "usr_01JD3Y8N6V4Q2X7R5T9W1K3M5P",
         *           "email": "dev@example.com",
         *           "role": "admin",
         *           "joined_at": "2026-03-17T10:22:14.000Z"
         *         },
         *         "previous_attributes": {
         *           "role": "member"
         *         }
         *       },
         *       "request": {
         *         "id": "req_01JD3Y8N6V4Q2X7R5T9W1K3M5S",
         *         "idempotency_key": "7c9e6679-7425-40de-944b-e07fc1f90ae7"
         *       }
         *     }
         */
        MemberEvent: {
            id: components["schemas"]["EventId"];
            /** @enum {string} */
            type: "member.added" | "member.updated" | "member.removed";
            created: components["schemas"]["Timestamp"];
            workspace_id: components["schemas"]["WorkspaceId"];
            data: {
                object: components["schemas"]["Member"];
                previous_attributes?: components["schemas"]["MemberPreviousAttributes"];
            };
            request: components["schemas"]["EventRequest"];
        };
        /**
         * @description An invitation was created, accepted or revoked. Never carries the token.
         * @example {
         *       "id": "evt_01JD3Y8N6V4Q2X7R5T9W1K3M65",
         *       "type": "invitation.created",
         *       "created": "2026-03-17T10:22:14.000Z",
         *       "workspace_id": "ws_01JD3Y8N6V4Q2X7R5T9W1K3M5Y",
         *       "data": {
         *         "object": {
         *           "id": "inv_01JD3Y8N6V4Q2X7R5T9W1K3M63",
         *           "email": "dev@example.com",
         *           "role": "member",
         *           "status": "pending",
         *           "invited_by": "usr_01JD3Y8N6V4Q2X7R5T9W1K3M5P",
         *           "created_at": "2026-03-17T10:22:14.000Z",
         *           "expires_at": "2026-03-24T10:22:14.000Z"
         *         }
         *       },
         *       "request": {
         *         "id": "req_01JD3Y8N6V4Q2X7R5T9W1K3M5S",
         *         "idempotency_key": "7c9e6679-7425-40de-944b-e07fc1f90ae7"
         *       }
         *     }
         */
        InvitationEvent: {
            id: components["schemas"]["EventId"];
            /** @enum {string} */
            type: "invitation.created" | "invitation.accepted" | "invitation.revoked";
            created: components["schemas"]["Timestamp"];
            workspace_id: components["schemas"]["WorkspaceId"];
            data: {
                object: components["schemas"]["Invitation"];
            };
            request: components["schemas"]["EventRequest"];
        };
        /**
         * @description An event as `GET /v1/events` lists it and webhooks deliver it. New event types may be added (see `EventTypeValue`).
         * @example {
         *       "id": "evt_01JD3Y8N6V4Q2X7R5T9W1K3M5X",
         *       "type": "project.updated",
         *       "created": "2026-03-18T08:01:55.000Z",
         *       "workspace_id": "ws_01JD3Y8N6V4Q2X7R5T9W1K3M5Y",
         *       "data": {
         *         "object": {
         *           "id": "prj_01JD3Y8N6V4Q2X7R5T9W1K3M5R",
         *           "name": "payments-api",
         *           "slug": "payments-api",
         *           "description": null,
         *           "created_at": "2026-03-17T10:22:14.000Z",
         *           "updated_at": "2026-03-18T08:01:55.000Z"
         *         },
         *         "previous_attributes": {
         *           "name": "payments",
         *           "updated_at": "2026-03-17T10:22:14.000Z"
         *         }
         *       },
         *       "request": {
         *         "id": "req_01JD3Y8N6V4Q2X7R5T9W1K3M5S",
         *         "idempotency_key": "7c9e6679-7425-40de-944b-e07fc1f90ae7"
         *       }
         *     }
         */
        Event: components["schemas"]["ProjectEvent"] | components["schemas"]["ApiKeyEvent"] | components["schemas"]["WebhookEndpointEvent"] | components["schemas"]["PingEvent"] | components["schemas"]["MemberEvent"] | components["schemas"]["InvitationEvent"];
        /**
         * @example {
         *       "data": {
         *         "id": "evt_01JD3Y8N6V4Q2X7R5T9W1K3M5X",
         *         "type": "project.updated",
         *         "created": "2026-03-18T08:01:55.000Z",
         *         "workspace_id": "ws_01JD3Y8N6V4Q2X7R5T9W1K3M5Y",
         *         "data": {
         *           "object": {
         *             "id": "prj_01JD3Y8N6V4Q2X7R5T9W1K3M5R",
         *             "name": "payments-api",
         *             "slug": "payments-api",
         *             "description": null,
         *             "created_at": "2026-03-17T10:22:14.000Z",
         *             "updated_at": "2026-03-18T08:01:55.000Z"
         *           },
         *           "previous_attributes": {
         *             "name": "payments",
         *             "updated_at": "2026-03-17T10:22:14.000Z"
         *           }
         *         },
         *         "request": {
         *           "id": "req_01JD3Y8N6V4Q2X7R5T9W1K3M5S",
         *           "idempotency_key": "7c9e6679-7425-40de-944b-e07fc1f90ae7"
         *         }
         *       }
         *     }
         */
        EventEnvelope: {
            data: components["schemas"]["Event"];
        };
        /**
         * @description The stable, machine-readable error codes this version sends. `Error.code` is an open
         *     enum: new codes may be added, so treat an unknown code by its HTTP status.
         * @example not_found
         * @enum {string}
         */
        ErrorCode: "validation_failed" | "malformed_json" | "invalid_cursor" | "unauthenticated" | "invalid_token" | "invalid_api_key" | "invalid_credentials" | "invalid_refresh_token" | "insufficient_scope" | "not_found" | "route_not_found" | "method_not_allowed" | "slug_taken" | "idempotency_key_in_use" | "idempotency_key_reused" | "precondition_failed" | "payload_too_large" | "unsupported_media_type" | "rate_limited" | "internal_error" | "expectation_failed" | "malformed_request" | "request_timeout" | "headers_too_large" | "limit_exceeded" | "endpoint_disabled" | "service_unavailable" | "insufficient_role" | "last_owner" | "already_member" | "already_invited" | "invalid_invitation";
        /**
         * @description What is wrong with one part of the request, in `ErrorDetail.code`: the detail codes this
         *     version sends. `ErrorDetail.code` is an open enum: new codes may be added, so treat an
         *     unknown one as "this input is not valid" and show its `message`. The JSON Schema keywords
         *     (`required`, `type`, `maxLength`, ...) name the rule of this document the input broke,
         *     as stated on the field; the others are checks the schema cannot express.
         * @example required
         * @enum {string}
         */
        DetailCode: "required" | "type" | "enum" | "format" | "pattern" | "minLength" | "maxLength" | "minimum" | "maximum" | "minItems" | "maxItems" | "uniqueItems" | "minProperties" | "additionalProperties" | "anyOf" | "invalid" | "malformed_json" | "malformed_unicode" | "invalid_cursor" | "before_from" | "window_too_long" | "in_the_past" | "url_not_allowed" | "missing_scope" | "slug_taken" | "stale" | "idempotency_key_in_use" | "idempotency_key_reused" | "rate_limited" | "unsupported_expectation" | "weak_password" | "owner_only" | "last_owner" | "already_member" | "already_invited";
        /**
         * @example {
         *       "pointer": "/body/name",
         *       "code": "required",
         *       "message": "must have required property 'name'"
         *     }
         */
        ErrorDetail: {
            /** @description JSON pointer into the request (`/body/name`, `/query/limit`, `/path/project_id`). */
            pointer?: string;
            field?: string;
            /** @description What is wrong with this input (open enum; see the "Versioning" conventions). */
            code: components["schemas"]["DetailCode"] | string;
            message: string;
        };
        /**
         * @example {
         *       "code": "not_found",
         *       "message": "Project prj_01JD3Y8N6V4Q2X7R5T9W1K3M5R was not found.",
         *       "details": [],
         *       "request_id": "req_01JD3Y8N6V4Q2X7R5T9W1K3M5S"
         *     }
         */
        Error: {
            /** @description Machine-readable code (open enum; see the "Versioning" conventions). */
            code: components["schemas"]["ErrorCode"] | string;
            message: string;
            details: components["schemas"]["ErrorDetail"][];
            request_id: string;
        };
        /**
         * @example {
         *       "error": {
         *         "code": "not_found",
         *         "message": "Project prj_01JD3Y8N6V4Q2X7R5T9W1K3M5R was not found.",
         *         "details": [],
         *         "request_id": "req_01JD3Y8N6V4Q2X7R5T9W1K3M5S"
         *       }
         *     }
         */
        ErrorEnvelope: {
            error: components["schemas"]["Error"];
        };
    };
    responses: {
        /** @description Done; no body. */
        NoContent: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                RateLimit: components["headers"]["RateLimit"];
                "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                [name: string]: unknown;
            };
            content?: never;
        };
        /** @description A new access token and refresh token. */
        TokenIssued: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                RateLimit: components["headers"]["RateLimit"];
                "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                "Cache-Control": components["headers"]["Cache-Control"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "data": {
                 *         "access_token": "eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c3JfMDEifQ.c2lnbmF0dXJl",
                 *         "token_type": "Bearer",
                 *         "expires_in": 900,
                 *         "refresh_token": "rt_Qm9pbGVycGxhdGUtZXhhbXBsZS12YWx1ZS0wMTIzNDU2Nzg5",
                 *         "refresh_expires_in": 604800,
                 *         "scope": "projects:read projects:write usage:read keys:write webhooks:write"
                 *       }
                 *     }
                 */
                "application/json": {
                    data: components["schemas"]["TokenPair"];
                };
            };
        };
        /** @description The project. */
        ProjectOk: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                RateLimit: components["headers"]["RateLimit"];
                "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                ETag: components["headers"]["ETag"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "data": {
                 *         "id": "prj_01JD3Y8N6V4Q2X7R5T9W1K3M5R",
                 *         "name": "payments-api",
                 *         "slug": "payments-api",
                 *         "description": "Card and wallet payments.",
                 *         "created_at": "2026-03-17T10:22:14.000Z",
                 *         "updated_at": "2026-03-18T08:01:55.000Z"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ProjectEnvelope"];
            };
        };
        /** @description The project as updated (or, for a retried Idempotency-Key, as the first request left it, with `Idempotent-Replayed`). */
        ProjectUpdated: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                RateLimit: components["headers"]["RateLimit"];
                "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                ETag: components["headers"]["ETag"];
                "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "data": {
                 *         "id": "prj_01JD3Y8N6V4Q2X7R5T9W1K3M5R",
                 *         "name": "payments-api",
                 *         "slug": "payments-api",
                 *         "description": "Card and wallet payments.",
                 *         "created_at": "2026-03-17T10:22:14.000Z",
                 *         "updated_at": "2026-03-18T08:01:55.000Z"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ProjectEnvelope"];
            };
        };
        /** @description The member, with its current `ETag`. */
        MemberOk: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                RateLimit: components["headers"]["RateLimit"];
                "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                ETag: components["headers"]["ETag"];
                "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "data": {
                 *         "user_id": "usr_01JD3Y8N6V4Q2X7R5T9W1K3M5P",
                 *         "email": "dev@example.com",
                 *         "role": "admin",
                 *         "joined_at": "2026-03-17T10:22:14.000Z"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["MemberEnvelope"];
            };
        };
        /** @description The invitation token is unknown, used, revoked or expired, or the password is wrong (`invalid_invitation`); all look the same. */
        InvalidInvitation: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                RateLimit: components["headers"]["RateLimit"];
                "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "invalid_invitation",
                 *         "message": "The invitation token or the password is not valid.",
                 *         "details": [],
                 *         "request_id": "req_01JD3Y8N6V4Q2X7R5T9W1K3M5S"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description The project still has the `ETag` given in `If-None-Match`; no body. */
        NotModified: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                RateLimit: components["headers"]["RateLimit"];
                "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                ETag: components["headers"]["ETag"];
                [name: string]: unknown;
            };
            content?: never;
        };
        /** @description The project or member changed since the `ETag` given in `If-Match` (`precondition_failed`); nothing was changed. Get it again and retry. */
        PreconditionFailed: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                RateLimit: components["headers"]["RateLimit"];
                "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "precondition_failed",
                 *         "message": "The project has changed since the version you sent in If-Match.",
                 *         "details": [
                 *           {
                 *             "field": "If-Match",
                 *             "code": "stale",
                 *             "message": "current ETag is \"v4\""
                 *           }
                 *         ],
                 *         "request_id": "req_01JD3Y8N6V4Q2X7R5T9W1K3M5S"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description The `Idempotency-Key` was already used with a different request (`idempotency_key_reused`). Use a new key for a new request. */
        IdempotencyKeyReused: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                RateLimit: components["headers"]["RateLimit"];
                "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "idempotency_key_reused",
                 *         "message": "This Idempotency-Key was used with a different request body or target.",
                 *         "details": [
                 *           {
                 *             "field": "Idempotency-Key",
                 *             "code": "idempotency_key_reused",
                 *             "message": "7c9e6679-7425-40de-944b-e07fc1f90ae7"
                 *           }
                 *         ],
                 *         "request_id": "req_01JD3Y8N6V4Q2X7R5T9W1K3M5S"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description The request is malformed or does not match the contract (`validation_failed`, `malformed_json`, `invalid_cursor`). */
        BadRequest: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                RateLimit: components["headers"]["RateLimit"];
                "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "validation_failed",
                 *         "message": "Request validation failed.",
                 *         "details": [
                 *           {
                 *             "pointer": "/body/name",
                 *             "code": "required",
                 *             "message": "must have required property 'name'"
                 *           }
                 *         ],
                 *         "request_id": "req_01JD3Y8N6V4Q2X7R5T9W1K3M5S"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description No credential, or one that is malformed, expired, revoked or not ours (`unauthenticated`, `invalid_token`, `invalid_api_key`). */
        Unauthorized: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                RateLimit: components["headers"]["RateLimit"];
                "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "invalid_token",
                 *         "message": "The access token has expired.",
                 *         "details": [],
                 *         "request_id": "req_01JD3Y8N6V4Q2X7R5T9W1K3M5S"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description Authenticated, but the credential lacks a scope the operation needs (`insufficient_scope`, naming it), or the caller's role may not do this (`insufficient_role`, for example an admin changing an owner). */
        Forbidden: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                RateLimit: components["headers"]["RateLimit"];
                "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "insufficient_scope",
                 *         "message": "This operation needs the 'projects:write' scope.",
                 *         "details": [
                 *           {
                 *             "field": "scope",
                 *             "code": "missing_scope",
                 *             "message": "projects:write"
                 *           }
                 *         ],
                 *         "request_id": "req_01JD3Y8N6V4Q2X7R5T9W1K3M5S"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description The email and password do not match an account (`invalid_credentials`). */
        InvalidCredentials: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                RateLimit: components["headers"]["RateLimit"];
                "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "invalid_credentials",
                 *         "message": "Email or password is incorrect.",
                 *         "details": [],
                 *         "request_id": "req_01JD3Y8N6V4Q2X7R5T9W1K3M5S"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description The refresh token is unknown, expired, already used or its session was revoked (`invalid_refresh_token`). */
        InvalidRefreshToken: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                RateLimit: components["headers"]["RateLimit"];
                "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "invalid_refresh_token",
                 *         "message": "The refresh token is not valid.",
                 *         "details": [],
                 *         "request_id": "req_01JD3Y8N6V4Q2X7R5T9W1K3M5S"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description No such resource in the caller's workspace (`not_found`). */
        NotFound: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                RateLimit: components["headers"]["RateLimit"];
                "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "not_found",
                 *         "message": "Project prj_01JD3Y8N6V4Q2X7R5T9W1K3M5R was not found.",
                 *         "details": [],
                 *         "request_id": "req_01JD3Y8N6V4Q2X7R5T9W1K3M5S"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description The request conflicts with the current state (`slug_taken`, `last_owner`, `already_member`, `already_invited`, `limit_exceeded`, `endpoint_disabled`), or a request with the same `Idempotency-Key` is still being processed (`idempotency_key_in_use`, with `Retry-After`). */
        Conflict: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                RateLimit: components["headers"]["RateLimit"];
                "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                "Retry-After": components["headers"]["Retry-After"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "slug_taken",
                 *         "message": "Another project in this workspace already uses the slug 'payments-api'.",
                 *         "details": [
                 *           {
                 *             "pointer": "/body/slug",
                 *             "code": "slug_taken",
                 *             "message": "slug 'payments-api' is taken"
                 *           }
                 *         ],
                 *         "request_id": "req_01JD3Y8N6V4Q2X7R5T9W1K3M5S"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description The body is larger than the server accepts (`payload_too_large`). */
        PayloadTooLarge: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                RateLimit: components["headers"]["RateLimit"];
                "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "payload_too_large",
                 *         "message": "The request body exceeds 100 kB.",
                 *         "details": [],
                 *         "request_id": "req_01JD3Y8N6V4Q2X7R5T9W1K3M5S"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description The body is not `application/json` (`unsupported_media_type`). */
        UnsupportedMediaType: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                RateLimit: components["headers"]["RateLimit"];
                "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "unsupported_media_type",
                 *         "message": "Unsupported Content-Type: text/plain. Send application/json.",
                 *         "details": [],
                 *         "request_id": "req_01JD3Y8N6V4Q2X7R5T9W1K3M5S"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description Over the operation's rate limit (`rate_limited`); the details name the policy. Retry after `Retry-After` seconds. */
        TooManyRequests: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "Retry-After": components["headers"]["Retry-After"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                RateLimit: components["headers"]["RateLimit"];
                "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "rate_limited",
                 *         "message": "Rate limit exceeded: 120 requests per 60 s (group 'projects-write'). Retry after 42 s.",
                 *         "details": [
                 *           {
                 *             "field": "policy",
                 *             "code": "rate_limited",
                 *             "message": "\"projects-write\";q=120;w=60"
                 *           }
                 *         ],
                 *         "request_id": "req_01JD3Y8N6V4Q2X7R5T9W1K3M5S"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description Something failed on our side (`internal_error`). Safe to retry with backoff; quote the request id when reporting it. */
        InternalError: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                RateLimit: components["headers"]["RateLimit"];
                "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "internal_error",
                 *         "message": "An unexpected error occurred.",
                 *         "details": [],
                 *         "request_id": "req_01JD3Y8N6V4Q2X7R5T9W1K3M5S"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /**
         * @description The database could not be had in time (`service_unavailable`): a lock held too long, a
         *     serialization failure or no free connection. Nothing was changed. Retry after
         *     `Retry-After` seconds, with the same `Idempotency-Key` for a write.
         */
        ServiceUnavailable: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "Retry-After": components["headers"]["Retry-After"];
                "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                RateLimit: components["headers"]["RateLimit"];
                "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "service_unavailable",
                 *         "message": "The service is busy; retry after 1 s.",
                 *         "details": [],
                 *         "request_id": "req_01JD3Y8N6V4Q2X7R5T9W1K3M5S"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description The path does not support the request's method (`method_not_allowed`); `Allow` lists the ones it does. `OPTIONS` is answered so too. */
        MethodNotAllowed: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                Allow: components["headers"]["Allow"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "method_not_allowed",
                 *         "message": "PUT is not allowed here. Allowed: GET, HEAD, POST.",
                 *         "details": [],
                 *         "request_id": "req_01JD3Y8N6V4Q2X7R5T9W1K3M5S"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
        /** @description The request carried an `Expect` header other than `100-continue` (`expectation_failed`); nothing was done. The connection is closed. */
        ExpectationFailed: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "error": {
                 *         "code": "expectation_failed",
                 *         "message": "Unsupported Expect header: only 100-continue is supported.",
                 *         "details": [
                 *           {
                 *             "field": "Expect",
                 *             "code": "unsupported_expectation",
                 *             "message": "only 100-continue is supported"
                 *           }
                 *         ],
                 *         "request_id": "req_01JD3Y8N6V4Q2X7R5T9W1K3M5S"
                 *       }
                 *     }
                 */
                "application/json": components["schemas"]["ErrorEnvelope"];
            };
        };
    };
    parameters: {
        /**
         * @description Makes the request safe to retry: send a unique value (a UUID v4 is ideal) and send the same
         *     value with every retry of the same request. See the "Idempotency" conventions.
         * @example 7c9e6679-7425-40de-944b-e07fc1f90ae7
         */
        IdempotencyKey: string;
        /**
         * @description Only act if the resource's current `ETag` (a project's, a member's) is one of these (or `*`); otherwise `412 precondition_failed` and nothing changes.
         * @example "v3"
         */
        IfMatch: string;
        /**
         * @description Answer `304 Not Modified` without a body if the resource's current `ETag` (a project's, a member's) is one of these (or `*`).
         * @example "v3"
         */
        IfNoneMatch: string;
        /**
         * @description The API key's id.
         * @example key_01JD3Y8N6V4Q2X7R5T9W1K3M5T
         */
        KeyId: string;
        /**
         * @description The project's id.
         * @example prj_01JD3Y8N6V4Q2X7R5T9W1K3M5R
         */
        ProjectId: components["schemas"]["ProjectId"];
        /**
         * @description The member's user id.
         * @example usr_01JD3Y8N6V4Q2X7R5T9W1K3M5P
         */
        UserId: components["schemas"]["UserId"];
        /**
         * @description The invitation's id.
         * @example inv_01JD3Y8N6V4Q2X7R5T9W1K3M63
         */
        InvitationId: components["schemas"]["InvitationId"];
        /** @description Page size, 1 to 100 (default 20). Larger values are clamped to 100. */
        Limit: number;
        /** @description Opaque cursor from `meta.next_cursor` of the previous page. Use it with the same filters. */
        Cursor: string;
        /**
         * @description The webhook endpoint's id.
         * @example whe_01JD3Y8N6V4Q2X7R5T9W1K3M5V
         */
        EndpointId: components["schemas"]["WebhookEndpointId"];
        /**
         * @description The delivery's id.
         * @example whd_01JD3Y8N6V4Q2X7R5T9W1K3M5W
         */
        DeliveryId: string;
        /**
         * @description The event's id.
         * @example evt_01JD3Y8N6V4Q2X7R5T9W1K3M5X
         */
        EventId: components["schemas"]["EventId"];
        /**
         * @description The event's id, the same on every retry of a delivery; deduplicate by it.
         * @example evt_01JD3Y8N6V4Q2X7R5T9W1K3M5X
         */
        WebhookIdHeader: components["schemas"]["EventId"];
        /**
         * @description When this attempt was signed, in Unix seconds. Reject timestamps far from now (the standardwebhooks verifier allows 5 minutes).
         * @example 1773742934
         */
        WebhookTimestampHeader: string;
        /**
         * @description Space-separated `v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">` signatures, one per valid secret (two for 24 hours after a rotation). Verify with a Standard Webhooks library.
         * @example v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4= v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=
         */
        WebhookSignatureHeader: string;
    };
    requestBodies: never;
    headers: {
        /**
         * @description The request's id, echoed from the request when well-formed, otherwise generated.
         * @example req_01JD3Y8N6V4Q2X7R5T9W1K3M5S
         */
        "X-Request-Id": string;
        /**
         * @description Path of the created resource.
         * @example /v1/projects/prj_01JD3Y8N6V4Q2X7R5T9W1K3M5R
         */
        Location: string;
        /**
         * @description RFC 8288 link to the next page (`rel="next"`), present when there is one.
         * @example </v1/projects?limit=20&cursor=eyJjIjoiMjAyNi0wMy0xN1QxMDoyMjoxNC4wMDBaIn0.k8QmZ2h0>; rel="next"
         */
        Link: string;
        /**
         * @description RFC 6750 challenge naming the realm and, when a credential was rejected, the error.
         * @example Bearer realm="cloud-api"
         */
        "WWW-Authenticate": string;
        /**
         * @description Token responses are never cached.
         * @example no-store
         */
        "Cache-Control": "no-store";
        /**
         * @description Seconds to wait before retrying.
         * @example 42
         */
        "Retry-After": number;
        /**
         * @description The policies of the operation (IETF httpapi draft): `"group";q=limit;w=window`.
         * @example "projects-write";q=120;w=60
         */
        "RateLimit-Policy": string;
        /**
         * @description The tightest policy now (IETF httpapi draft): `"group";r=remaining;t=seconds-to-reset`.
         * @example "projects-write";r=117;t=42
         */
        RateLimit: string;
        /**
         * @description Requests allowed in the window of the tightest policy.
         * @example 120
         */
        "X-RateLimit-Limit": number;
        /**
         * @description Requests left in the current window.
         * @example 117
         */
        "X-RateLimit-Remaining": number;
        /**
         * @description Unix time (seconds) when the window resets.
         * @example 1773742976
         */
        "X-RateLimit-Reset": number;
        /**
         * @description The version of the project; send it back in `If-Match` to update only what you read.
         * @example "3f2a9c1b"
         */
        ETag: string;
        /**
         * @description `true` when this response is the stored response of an earlier request with the same `Idempotency-Key`.
         * @example true
         */
        "Idempotent-Replayed": "true";
        /**
         * @description The methods the path supports (`HEAD` wherever `GET` is).
         * @example GET, HEAD, POST
         */
        Allow: string;
        /**
         * @description RFC 9745: the operation, or a parameter the request used, is deprecated since this instant (`@` and Unix seconds). Sent only then.
         * @example @1767225600
         */
        Deprecation: string;
        /**
         * @description RFC 8594: the HTTP date after which the deprecated operation or parameter may stop working. Sent with `Deprecation`.
         * @example Wed, 30 Jun 2027 00:00:00 GMT
         */
        Sunset: string;
        /**
         * @description RFC 8288 `Link` with `rel="deprecation"` (RFC 9745) to the documentation of the deprecation. Sent with `Deprecation`; on a list it is combined with `rel="next"`.
         * @example <https://api.example.com/docs#/Projects/listProjects>; rel="deprecation"; type="text/html"
         */
        DeprecationLink: string;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "email": "owner@example.com",
                 *       "password": "correct horse battery staple"
                 *     }
                 */
                "application/json": components["schemas"]["LoginRequest"];
            };
        };
        responses: {
            200: components["responses"]["TokenIssued"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["InvalidCredentials"];
            405: components["responses"]["MethodNotAllowed"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            417: components["responses"]["ExpectationFailed"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    refreshToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "refresh_token": "rt_Qm9pbGVycGxhdGUtZXhhbXBsZS12YWx1ZS0wMTIzNDU2Nzg5"
                 *     }
                 */
                "application/json": components["schemas"]["RefreshRequest"];
            };
        };
        responses: {
            200: components["responses"]["TokenIssued"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["InvalidRefreshToken"];
            405: components["responses"]["MethodNotAllowed"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            417: components["responses"]["ExpectationFailed"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "refresh_token": "rt_Qm9pbGVycGxhdGUtZXhhbXBsZS12YWx1ZS0wMTIzNDU2Nzg5"
                 *     }
                 */
                "application/json": components["schemas"]["RefreshRequest"];
            };
        };
        responses: {
            204: components["responses"]["NoContent"];
            400: components["responses"]["BadRequest"];
            405: components["responses"]["MethodNotAllowed"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            417: components["responses"]["ExpectationFailed"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    switchWorkspace: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the request safe to retry: send a unique value (a UUID v4 is ideal) and send the same
                 *     value with every retry of the same request. See the "Idempotency" conventions.
                 * @example 7c9e6679-7425-40de-944b-e07fc1f90ae7
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "workspace_id": "ws_01JD3Y8N6V4Q2X7R5T9W1K3M5Y"
                 *     }
                 */
                "application/json": components["schemas"]["SwitchWorkspaceRequest"];
            };
        };
        responses: {
            200: components["responses"]["TokenIssued"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            417: components["responses"]["ExpectationFailed"];
            422: components["responses"]["IdempotencyKeyReused"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The caller. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "data": {
                     *         "type": "user",
                     *         "user": {
                     *           "id": "usr_01JD3Y8N6V4Q2X7R5T9W1K3M5P",
                     *           "email": "owner@example.com",
                     *           "created_at": "2026-03-17T10:22:14.000Z"
                     *         },
                     *         "workspace": {
                     *           "id": "ws_01JD3Y8N6V4Q2X7R5T9W1K3M5Q",
                     *           "name": "Acme",
                     *           "created_at": "2026-03-17T10:22:14.000Z"
                     *         },
                     *         "role": "owner",
                     *         "scopes": [
                     *           "projects:read",
                     *           "projects:write",
                     *           "usage:read",
                     *           "keys:write",
                     *           "webhooks:write"
                     *         ],
                     *         "memberships": [
                     *           {
                     *             "workspace_id": "ws_01JD3Y8N6V4Q2X7R5T9W1K3M5Q",
                     *             "workspace_name": "Acme",
                     *             "role": "owner"
                     *           }
                     *         ]
                     *       }
                     *     }
                     */
                    "application/json": {
                        data: components["schemas"]["Me"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            405: components["responses"]["MethodNotAllowed"];
            417: components["responses"]["ExpectationFailed"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listProjects: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 100 (default 20). Larger values are clamped to 100. */
                limit?: components["parameters"]["Limit"];
                /** @description Opaque cursor from `meta.next_cursor` of the previous page. Use it with the same filters. */
                cursor?: components["parameters"]["Cursor"];
                /** @description Case-insensitive substring of the project name. */
                name?: string;
                /** @description Exact slug. */
                slug?: components["schemas"]["Slug"];
                /** @description Only projects created strictly after this instant (RFC 3339). */
                created_after?: components["schemas"]["Timestamp"];
                /** @description Only projects created strictly before this instant (RFC 3339). */
                created_before?: components["schemas"]["Timestamp"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of projects. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    Link: components["headers"]["Link"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "data": [
                     *         {
                     *           "id": "prj_01JD3Y8N6V4Q2X7R5T9W1K3M5R",
                     *           "name": "payments-api",
                     *           "slug": "payments-api",
                     *           "description": "Card and wallet payments.",
                     *           "created_at": "2026-03-17T10:22:14.000Z",
                     *           "updated_at": "2026-03-17T10:22:14.000Z"
                     *         }
                     *       ],
                     *       "meta": {
                     *         "limit": 20,
                     *         "has_more": false,
                     *         "next_cursor": null
                     *       }
                     *     }
                     */
                    "application/json": {
                        data: components["schemas"]["Project"][];
                        meta: components["schemas"]["PageMeta"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            405: components["responses"]["MethodNotAllowed"];
            417: components["responses"]["ExpectationFailed"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    createProject: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the request safe to retry: send a unique value (a UUID v4 is ideal) and send the same
                 *     value with every retry of the same request. See the "Idempotency" conventions.
                 * @example 7c9e6679-7425-40de-944b-e07fc1f90ae7
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "name": "payments-api",
                 *       "slug": "payments-api"
                 *     }
                 */
                "application/json": components["schemas"]["ProjectCreate"];
            };
        };
        responses: {
            /** @description The project was created. */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    Location: components["headers"]["Location"];
                    ETag: components["headers"]["ETag"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "data": {
                     *         "id": "prj_01JD3Y8N6V4Q2X7R5T9W1K3M5R",
                     *         "name": "payments-api",
                     *         "slug": "payments-api",
                     *         "description": null,
                     *         "created_at": "2026-03-17T10:22:14.000Z",
                     *         "updated_at": "2026-03-17T10:22:14.000Z"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["ProjectEnvelope"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            405: components["responses"]["MethodNotAllowed"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            417: components["responses"]["ExpectationFailed"];
            422: components["responses"]["IdempotencyKeyReused"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getProject: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Answer `304 Not Modified` without a body if the resource's current `ETag` (a project's, a member's) is one of these (or `*`).
                 * @example "v3"
                 */
                "If-None-Match"?: components["parameters"]["IfNoneMatch"];
            };
            path: {
                /**
                 * @description The project's id.
                 * @example prj_01JD3Y8N6V4Q2X7R5T9W1K3M5R
                 */
                project_id: components["parameters"]["ProjectId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["ProjectOk"];
            304: components["responses"]["NotModified"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            417: components["responses"]["ExpectationFailed"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    deleteProject: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Only act if the resource's current `ETag` (a project's, a member's) is one of these (or `*`); otherwise `412 precondition_failed` and nothing changes.
                 * @example "v3"
                 */
                "If-Match"?: components["parameters"]["IfMatch"];
            };
            path: {
                /**
                 * @description The project's id.
                 * @example prj_01JD3Y8N6V4Q2X7R5T9W1K3M5R
                 */
                project_id: components["parameters"]["ProjectId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["NoContent"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            412: components["responses"]["PreconditionFailed"];
            417: components["responses"]["ExpectationFailed"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    updateProject: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the request safe to retry: send a unique value (a UUID v4 is ideal) and send the same
                 *     value with every retry of the same request. See the "Idempotency" conventions.
                 * @example 7c9e6679-7425-40de-944b-e07fc1f90ae7
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                /**
                 * @description Only act if the resource's current `ETag` (a project's, a member's) is one of these (or `*`); otherwise `412 precondition_failed` and nothing changes.
                 * @example "v3"
                 */
                "If-Match"?: components["parameters"]["IfMatch"];
            };
            path: {
                /**
                 * @description The project's id.
                 * @example prj_01JD3Y8N6V4Q2X7R5T9W1K3M5R
                 */
                project_id: components["parameters"]["ProjectId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "description": "Card and wallet payments."
                 *     }
                 */
                "application/json": components["schemas"]["ProjectUpdate"];
                /**
                 * @example {
                 *       "description": null
                 *     }
                 */
                "application/merge-patch+json": components["schemas"]["ProjectUpdate"];
            };
        };
        responses: {
            200: components["responses"]["ProjectUpdated"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            417: components["responses"]["ExpectationFailed"];
            422: components["responses"]["IdempotencyKeyReused"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listApiKeys: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 100 (default 20). Larger values are clamped to 100. */
                limit?: components["parameters"]["Limit"];
                /** @description Opaque cursor from `meta.next_cursor` of the previous page. Use it with the same filters. */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of API keys. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    Link: components["headers"]["Link"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "data": [
                     *         {
                     *           "id": "key_01JD3Y8N6V4Q2X7R5T9W1K3M5T",
                     *           "name": "billing-worker",
                     *           "scopes": [
                     *             "projects:read"
                     *           ],
                     *           "prefix": "cp_live_7Hq2",
                     *           "last4": "Zx9A",
                     *           "created_at": "2026-03-17T10:22:14.000Z",
                     *           "expires_at": null,
                     *           "last_used_at": "2026-03-18T08:00:00.000Z",
                     *           "rotated_at": null
                     *         }
                     *       ],
                     *       "meta": {
                     *         "limit": 20,
                     *         "has_more": false,
                     *         "next_cursor": null
                     *       }
                     *     }
                     */
                    "application/json": {
                        data: components["schemas"]["ApiKey"][];
                        meta: components["schemas"]["PageMeta"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            405: components["responses"]["MethodNotAllowed"];
            417: components["responses"]["ExpectationFailed"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    createApiKey: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the request safe to retry: send a unique value (a UUID v4 is ideal) and send the same
                 *     value with every retry of the same request. See the "Idempotency" conventions.
                 * @example 7c9e6679-7425-40de-944b-e07fc1f90ae7
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "name": "billing-worker",
                 *       "scopes": [
                 *         "projects:read"
                 *       ],
                 *       "expires_at": "2027-03-17T00:00:00Z"
                 *     }
                 */
                "application/json": components["schemas"]["ApiKeyCreate"];
            };
        };
        responses: {
            /** @description The key was created; `key` is shown this once. */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    Location: components["headers"]["Location"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "data": {
                     *         "id": "key_01JD3Y8N6V4Q2X7R5T9W1K3M5T",
                     *         "name": "billing-worker",
                     *         "scopes": [
                     *           "projects:read"
                     *         ],
                     *         "prefix": "cp_live_rGMJ",
                     *         "last4": "H4DE",
                     *         "created_at": "2026-03-17T10:22:14.000Z",
                     *         "expires_at": "2027-03-17T00:00:00.000Z",
                     *         "last_used_at": null,
                     *         "rotated_at": null,
                     *         "key": "cp_live_rGMJ3loQoPu1Cyv3jpZSMomRmCpzcRhC3WH4DE"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["ApiKeyCreatedEnvelope"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            405: components["responses"]["MethodNotAllowed"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            417: components["responses"]["ExpectationFailed"];
            422: components["responses"]["IdempotencyKeyReused"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The API key's id.
                 * @example key_01JD3Y8N6V4Q2X7R5T9W1K3M5T
                 */
                key_id: components["parameters"]["KeyId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The API key. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "data": {
                     *         "id": "key_01JD3Y8N6V4Q2X7R5T9W1K3M5T",
                     *         "name": "billing-worker",
                     *         "scopes": [
                     *           "projects:read"
                     *         ],
                     *         "prefix": "cp_live_7Hq2",
                     *         "last4": "Zx9A",
                     *         "created_at": "2026-03-17T10:22:14.000Z",
                     *         "expires_at": null,
                     *         "last_used_at": null,
                     *         "rotated_at": null
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["ApiKeyEnvelope"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            417: components["responses"]["ExpectationFailed"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    deleteApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The API key's id.
                 * @example key_01JD3Y8N6V4Q2X7R5T9W1K3M5T
                 */
                key_id: components["parameters"]["KeyId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["NoContent"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            417: components["responses"]["ExpectationFailed"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    rotateApiKey: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the request safe to retry: send a unique value (a UUID v4 is ideal) and send the same
                 *     value with every retry of the same request. See the "Idempotency" conventions.
                 * @example 7c9e6679-7425-40de-944b-e07fc1f90ae7
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                /**
                 * @description The API key's id.
                 * @example key_01JD3Y8N6V4Q2X7R5T9W1K3M5T
                 */
                key_id: components["parameters"]["KeyId"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                /**
                 * @example {
                 *       "grace_period_seconds": 3600
                 *     }
                 */
                "application/json": components["schemas"]["ApiKeyRotate"];
            };
        };
        responses: {
            /** @description The new secret; `key` is shown this once. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "data": {
                     *         "id": "key_01JD3Y8N6V4Q2X7R5T9W1K3M5T",
                     *         "name": "billing-worker",
                     *         "scopes": [
                     *           "projects:read"
                     *         ],
                     *         "prefix": "cp_live_BiUg",
                     *         "last4": "5Ka9",
                     *         "created_at": "2026-03-17T10:22:14.000Z",
                     *         "expires_at": null,
                     *         "last_used_at": "2026-03-18T08:00:00.000Z",
                     *         "rotated_at": "2026-04-01T09:00:00.000Z",
                     *         "key": "cp_live_BiUg4ERaUwuGVBUKwwt0zV13BwJsKieX0B5Ka9"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["ApiKeyCreatedEnvelope"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            417: components["responses"]["ExpectationFailed"];
            422: components["responses"]["IdempotencyKeyReused"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getUsage: {
        parameters: {
            query: {
                /**
                 * @description Start of the window, inclusive.
                 * @example 2026-03-01
                 */
                from: components["schemas"]["DateOrInstant"];
                /**
                 * @description End of the window, exclusive.
                 * @example 2026-03-17
                 */
                to: components["schemas"]["DateOrInstant"];
                /** @description Bucket size. Buckets start at `from`. */
                granularity?: components["schemas"]["Granularity"];
                /** @description Adds `groups`, the totals split by this dimension. */
                group_by?: components["schemas"]["UsageGroupBy"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Usage in the window. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "data": {
                     *         "from": "2026-03-01",
                     *         "to": "2026-03-03",
                     *         "requests": 184203,
                     *         "errors": 387,
                     *         "error_rate": 0.0021,
                     *         "granularity": "day",
                     *         "buckets": [
                     *           {
                     *             "start": "2026-03-01T00:00:00.000Z",
                     *             "end": "2026-03-02T00:00:00.000Z",
                     *             "requests": 90110,
                     *             "errors": 200,
                     *             "error_rate": 0.0022
                     *           },
                     *           {
                     *             "start": "2026-03-02T00:00:00.000Z",
                     *             "end": "2026-03-03T00:00:00.000Z",
                     *             "requests": 94093,
                     *             "errors": 187,
                     *             "error_rate": 0.002
                     *           }
                     *         ],
                     *         "group_by": "status_class",
                     *         "groups": [
                     *           {
                     *             "key": "2xx",
                     *             "requests": 183816,
                     *             "errors": 0,
                     *             "error_rate": 0
                     *           },
                     *           {
                     *             "key": "4xx",
                     *             "requests": 380,
                     *             "errors": 380,
                     *             "error_rate": 1
                     *           },
                     *           {
                     *             "key": "5xx",
                     *             "requests": 7,
                     *             "errors": 7,
                     *             "error_rate": 1
                     *           }
                     *         ]
                     *       }
                     *     }
                     */
                    "application/json": {
                        data: components["schemas"]["Usage"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            405: components["responses"]["MethodNotAllowed"];
            417: components["responses"]["ExpectationFailed"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listWebhookEndpoints: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 100 (default 20). Larger values are clamped to 100. */
                limit?: components["parameters"]["Limit"];
                /** @description Opaque cursor from `meta.next_cursor` of the previous page. Use it with the same filters. */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of webhook endpoints. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    Link: components["headers"]["Link"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "data": [
                     *         {
                     *           "id": "whe_01JD3Y8N6V4Q2X7R5T9W1K3M5V",
                     *           "url": "https://hooks.example.com/cloud-api",
                     *           "description": "Deploy bot",
                     *           "enabled_events": [
                     *             "project.created",
                     *             "project.deleted"
                     *           ],
                     *           "status": "enabled",
                     *           "disabled_reason": null,
                     *           "failing_since": null,
                     *           "created_at": "2026-03-17T10:22:14.000Z",
                     *           "updated_at": "2026-03-17T10:22:14.000Z"
                     *         }
                     *       ],
                     *       "meta": {
                     *         "limit": 20,
                     *         "has_more": false,
                     *         "next_cursor": null
                     *       }
                     *     }
                     */
                    "application/json": {
                        data: components["schemas"]["WebhookEndpoint"][];
                        meta: components["schemas"]["PageMeta"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            405: components["responses"]["MethodNotAllowed"];
            417: components["responses"]["ExpectationFailed"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    createWebhookEndpoint: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the request safe to retry: send a unique value (a UUID v4 is ideal) and send the same
                 *     value with every retry of the same request. See the "Idempotency" conventions.
                 * @example 7c9e6679-7425-40de-944b-e07fc1f90ae7
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "url": "https://hooks.example.com/cloud-api",
                 *       "enabled_events": [
                 *         "project.created",
                 *         "project.deleted"
                 *       ],
                 *       "description": "Deploy bot"
                 *     }
                 */
                "application/json": components["schemas"]["WebhookEndpointCreate"];
            };
        };
        responses: {
            /** @description The endpoint was created; `secret` is shown this once. */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    Location: components["headers"]["Location"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "data": {
                     *         "id": "whe_01JD3Y8N6V4Q2X7R5T9W1K3M5V",
                     *         "url": "https://hooks.example.com/cloud-api",
                     *         "description": "Deploy bot",
                     *         "enabled_events": [
                     *           "project.created",
                     *           "project.deleted"
                     *         ],
                     *         "status": "enabled",
                     *         "disabled_reason": null,
                     *         "failing_since": null,
                     *         "created_at": "2026-03-17T10:22:14.000Z",
                     *         "updated_at": "2026-03-17T10:22:14.000Z",
                     *         "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                     *         "previous_secret_expires_at": null
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["WebhookEndpointWithSecretEnvelope"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            405: components["responses"]["MethodNotAllowed"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            417: components["responses"]["ExpectationFailed"];
            422: components["responses"]["IdempotencyKeyReused"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getWebhookEndpoint: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The webhook endpoint's id.
                 * @example whe_01JD3Y8N6V4Q2X7R5T9W1K3M5V
                 */
                endpoint_id: components["parameters"]["EndpointId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The endpoint. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "data": {
                     *         "id": "whe_01JD3Y8N6V4Q2X7R5T9W1K3M5V",
                     *         "url": "https://hooks.example.com/cloud-api",
                     *         "description": "Deploy bot",
                     *         "enabled_events": [
                     *           "project.created",
                     *           "project.deleted"
                     *         ],
                     *         "status": "enabled",
                     *         "disabled_reason": null,
                     *         "failing_since": null,
                     *         "created_at": "2026-03-17T10:22:14.000Z",
                     *         "updated_at": "2026-03-17T10:22:14.000Z"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["WebhookEndpointEnvelope"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            417: components["responses"]["ExpectationFailed"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    deleteWebhookEndpoint: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The webhook endpoint's id.
                 * @example whe_01JD3Y8N6V4Q2X7R5T9W1K3M5V
                 */
                endpoint_id: components["parameters"]["EndpointId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["NoContent"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            417: components["responses"]["ExpectationFailed"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    updateWebhookEndpoint: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the request safe to retry: send a unique value (a UUID v4 is ideal) and send the same
                 *     value with every retry of the same request. See the "Idempotency" conventions.
                 * @example 7c9e6679-7425-40de-944b-e07fc1f90ae7
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                /**
                 * @description The webhook endpoint's id.
                 * @example whe_01JD3Y8N6V4Q2X7R5T9W1K3M5V
                 */
                endpoint_id: components["parameters"]["EndpointId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "enabled_events": [
                 *         "*"
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["WebhookEndpointUpdate"];
            };
        };
        responses: {
            /** @description The updated endpoint. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "data": {
                     *         "id": "whe_01JD3Y8N6V4Q2X7R5T9W1K3M5V",
                     *         "url": "https://hooks.example.com/cloud-api",
                     *         "description": "Deploy bot",
                     *         "enabled_events": [
                     *           "project.created",
                     *           "project.deleted"
                     *         ],
                     *         "status": "enabled",
                     *         "disabled_reason": null,
                     *         "failing_since": null,
                     *         "created_at": "2026-03-17T10:22:14.000Z",
                     *         "updated_at": "2026-03-17T10:22:14.000Z"
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["WebhookEndpointEnvelope"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            417: components["responses"]["ExpectationFailed"];
            422: components["responses"]["IdempotencyKeyReused"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    rotateWebhookSecret: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the request safe to retry: send a unique value (a UUID v4 is ideal) and send the same
                 *     value with every retry of the same request. See the "Idempotency" conventions.
                 * @example 7c9e6679-7425-40de-944b-e07fc1f90ae7
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                /**
                 * @description The webhook endpoint's id.
                 * @example whe_01JD3Y8N6V4Q2X7R5T9W1K3M5V
                 */
                endpoint_id: components["parameters"]["EndpointId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The new secret; shown this once. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "data": {
                     *         "id": "whe_01JD3Y8N6V4Q2X7R5T9W1K3M5V",
                     *         "url": "https://hooks.example.com/cloud-api",
                     *         "description": "Deploy bot",
                     *         "enabled_events": [
                     *           "project.created",
                     *           "project.deleted"
                     *         ],
                     *         "status": "enabled",
                     *         "disabled_reason": null,
                     *         "failing_since": null,
                     *         "created_at": "2026-03-17T10:22:14.000Z",
                     *         "updated_at": "2026-03-17T10:22:14.000Z",
                     *         "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                     *         "previous_secret_expires_at": null
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["WebhookEndpointWithSecretEnvelope"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            409: components["responses"]["Conflict"];
            417: components["responses"]["ExpectationFailed"];
            422: components["responses"]["IdempotencyKeyReused"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    testWebhookEndpoint: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the request safe to retry: send a unique value (a UUID v4 is ideal) and send the same
                 *     value with every retry of the same request. See the "Idempotency" conventions.
                 * @example 7c9e6679-7425-40de-944b-e07fc1f90ae7
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                /**
                 * @description The webhook endpoint's id.
                 * @example whe_01JD3Y8N6V4Q2X7R5T9W1K3M5V
                 */
                endpoint_id: components["parameters"]["EndpointId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The ping was queued for delivery now. */
            202: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "data": {
                     *         "id": "whd_01JD3Y8N6V4Q2X7R5T9W1K3M5W",
                     *         "endpoint_id": "whe_01JD3Y8N6V4Q2X7R5T9W1K3M5V",
                     *         "event_id": "evt_01JD3Y8N6V4Q2X7R5T9W1K3M5X",
                     *         "event_type": "ping",
                     *         "status": "pending",
                     *         "attempt_count": 0,
                     *         "next_attempt_at": "2026-03-17T10:22:14.000Z",
                     *         "created_at": "2026-03-17T10:22:14.000Z",
                     *         "attempts": []
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["WebhookDeliveryEnvelope"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            409: components["responses"]["Conflict"];
            417: components["responses"]["ExpectationFailed"];
            422: components["responses"]["IdempotencyKeyReused"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listWebhookDeliveries: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 100 (default 20). Larger values are clamped to 100. */
                limit?: components["parameters"]["Limit"];
                /** @description Opaque cursor from `meta.next_cursor` of the previous page. Use it with the same filters. */
                cursor?: components["parameters"]["Cursor"];
                /** @description Only deliveries in this state. */
                status?: components["schemas"]["WebhookDeliveryStatus"];
            };
            header?: never;
            path: {
                /**
                 * @description The webhook endpoint's id.
                 * @example whe_01JD3Y8N6V4Q2X7R5T9W1K3M5V
                 */
                endpoint_id: components["parameters"]["EndpointId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of deliveries. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    Link: components["headers"]["Link"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "data": [
                     *         {
                     *           "id": "whd_01JD3Y8N6V4Q2X7R5T9W1K3M5W",
                     *           "endpoint_id": "whe_01JD3Y8N6V4Q2X7R5T9W1K3M5V",
                     *           "event_id": "evt_01JD3Y8N6V4Q2X7R5T9W1K3M5X",
                     *           "event_type": "ping",
                     *           "status": "pending",
                     *           "attempt_count": 0,
                     *           "next_attempt_at": "2026-03-17T10:22:14.000Z",
                     *           "created_at": "2026-03-17T10:22:14.000Z",
                     *           "attempts": []
                     *         }
                     *       ],
                     *       "meta": {
                     *         "limit": 20,
                     *         "has_more": false,
                     *         "next_cursor": null
                     *       }
                     *     }
                     */
                    "application/json": {
                        data: components["schemas"]["WebhookDelivery"][];
                        meta: components["schemas"]["PageMeta"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            417: components["responses"]["ExpectationFailed"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    retryWebhookDelivery: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the request safe to retry: send a unique value (a UUID v4 is ideal) and send the same
                 *     value with every retry of the same request. See the "Idempotency" conventions.
                 * @example 7c9e6679-7425-40de-944b-e07fc1f90ae7
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                /**
                 * @description The webhook endpoint's id.
                 * @example whe_01JD3Y8N6V4Q2X7R5T9W1K3M5V
                 */
                endpoint_id: components["parameters"]["EndpointId"];
                /**
                 * @description The delivery's id.
                 * @example whd_01JD3Y8N6V4Q2X7R5T9W1K3M5W
                 */
                delivery_id: components["parameters"]["DeliveryId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The delivery is queued. */
            202: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "data": {
                     *         "id": "whd_01JD3Y8N6V4Q2X7R5T9W1K3M5W",
                     *         "endpoint_id": "whe_01JD3Y8N6V4Q2X7R5T9W1K3M5V",
                     *         "event_id": "evt_01JD3Y8N6V4Q2X7R5T9W1K3M5X",
                     *         "event_type": "ping",
                     *         "status": "pending",
                     *         "attempt_count": 0,
                     *         "next_attempt_at": "2026-03-17T10:22:14.000Z",
                     *         "created_at": "2026-03-17T10:22:14.000Z",
                     *         "attempts": []
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["WebhookDeliveryEnvelope"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            409: components["responses"]["Conflict"];
            417: components["responses"]["ExpectationFailed"];
            422: components["responses"]["IdempotencyKeyReused"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    recoverWebhookDeliveries: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the request safe to retry: send a unique value (a UUID v4 is ideal) and send the same
                 *     value with every retry of the same request. See the "Idempotency" conventions.
                 * @example 7c9e6679-7425-40de-944b-e07fc1f90ae7
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                /**
                 * @description The webhook endpoint's id.
                 * @example whe_01JD3Y8N6V4Q2X7R5T9W1K3M5V
                 */
                endpoint_id: components["parameters"]["EndpointId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "since": "2026-03-17T00:00:00Z"
                 *     }
                 */
                "application/json": components["schemas"]["WebhookRecover"];
            };
        };
        responses: {
            /** @description How many deliveries were queued again. */
            202: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "data": {
                     *         "requeued": 12
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["WebhookRecoverResultEnvelope"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            417: components["responses"]["ExpectationFailed"];
            422: components["responses"]["IdempotencyKeyReused"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listEvents: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 100 (default 20). Larger values are clamped to 100. */
                limit?: components["parameters"]["Limit"];
                /** @description Opaque cursor from `meta.next_cursor` of the previous page. Use it with the same filters. */
                cursor?: components["parameters"]["Cursor"];
                /**
                 * @description Only events of this type, or of this family with a trailing `.*` (`project.*`; the `*` may be sent as is or as `%2A`).
                 * @example project.*
                 */
                type?: string;
                /** @description Only events created at or after this instant. */
                created_after?: components["schemas"]["Timestamp"];
                /** @description Only events created before this instant. */
                created_before?: components["schemas"]["Timestamp"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of events. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    Link: components["headers"]["Link"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "data": [
                     *         {
                     *           "id": "evt_01JD3Y8N6V4Q2X7R5T9W1K3M5X",
                     *           "type": "project.created",
                     *           "created": "2026-03-17T10:22:14.000Z",
                     *           "workspace_id": "ws_01JD3Y8N6V4Q2X7R5T9W1K3M5Y",
                     *           "data": {
                     *             "object": {
                     *               "id": "prj_01JD3Y8N6V4Q2X7R5T9W1K3M5R",
                     *               "name": "payments-api",
                     *               "slug": "payments-api",
                     *               "description": null,
                     *               "created_at": "2026-03-17T10:22:14.000Z",
                     *               "updated_at": "2026-03-17T10:22:14.000Z"
                     *             }
                     *           },
                     *           "request": {
                     *             "id": "req_01JD3Y8N6V4Q2X7R5T9W1K3M5S",
                     *             "idempotency_key": "7c9e6679-7425-40de-944b-e07fc1f90ae7"
                     *           }
                     *         }
                     *       ],
                     *       "meta": {
                     *         "limit": 20,
                     *         "has_more": false,
                     *         "next_cursor": null
                     *       }
                     *     }
                     */
                    "application/json": {
                        data: components["schemas"]["Event"][];
                        meta: components["schemas"]["PageMeta"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            405: components["responses"]["MethodNotAllowed"];
            417: components["responses"]["ExpectationFailed"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getEvent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The event's id.
                 * @example evt_01JD3Y8N6V4Q2X7R5T9W1K3M5X
                 */
                event_id: components["parameters"]["EventId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The event. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "data": {
                     *         "id": "evt_01JD3Y8N6V4Q2X7R5T9W1K3M5X",
                     *         "type": "project.created",
                     *         "created": "2026-03-17T10:22:14.000Z",
                     *         "workspace_id": "ws_01JD3Y8N6V4Q2X7R5T9W1K3M5Y",
                     *         "data": {
                     *           "object": {
                     *             "id": "prj_01JD3Y8N6V4Q2X7R5T9W1K3M5R",
                     *             "name": "payments-api",
                     *             "slug": "payments-api",
                     *             "description": null,
                     *             "created_at": "2026-03-17T10:22:14.000Z",
                     *             "updated_at": "2026-03-17T10:22:14.000Z"
                     *           }
                     *         },
                     *         "request": {
                     *           "id": "req_01JD3Y8N6V4Q2X7R5T9W1K3M5S",
                     *           "idempotency_key": "7c9e6679-7425-40de-944b-e07fc1f90ae7"
                     *         }
                     *       }
                     *     }
                     */
                    "application/json": components["schemas"]["EventEnvelope"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            417: components["responses"]["ExpectationFailed"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listMembers: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 100 (default 20). Larger values are clamped to 100. */
                limit?: components["parameters"]["Limit"];
                /** @description Opaque cursor from `meta.next_cursor` of the previous page. Use it with the same filters. */
                cursor?: components["parameters"]["Cursor"];
                /** @description Only members with this role. */
                role?: components["schemas"]["Role"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of members. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    Link: components["headers"]["Link"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "data": [
                     *         {
                     *           "user_id": "usr_01JD3Y8N6V4Q2X7R5T9W1K3M5P",
                     *           "email": "owner@example.com",
                     *           "role": "owner",
                     *           "joined_at": "2026-03-17T10:22:14.000Z"
                     *         }
                     *       ],
                     *       "meta": {
                     *         "limit": 20,
                     *         "has_more": false,
                     *         "next_cursor": null
                     *       }
                     *     }
                     */
                    "application/json": {
                        data: components["schemas"]["Member"][];
                        meta: components["schemas"]["PageMeta"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            405: components["responses"]["MethodNotAllowed"];
            417: components["responses"]["ExpectationFailed"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    getMember: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Answer `304 Not Modified` without a body if the resource's current `ETag` (a project's, a member's) is one of these (or `*`).
                 * @example "v3"
                 */
                "If-None-Match"?: components["parameters"]["IfNoneMatch"];
            };
            path: {
                /**
                 * @description The member's user id.
                 * @example usr_01JD3Y8N6V4Q2X7R5T9W1K3M5P
                 */
                user_id: components["parameters"]["UserId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: components["responses"]["MemberOk"];
            304: components["responses"]["NotModified"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            417: components["responses"]["ExpectationFailed"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    deleteMember: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Only act if the resource's current `ETag` (a project's, a member's) is one of these (or `*`); otherwise `412 precondition_failed` and nothing changes.
                 * @example "v3"
                 */
                "If-Match"?: components["parameters"]["IfMatch"];
            };
            path: {
                /**
                 * @description The member's user id.
                 * @example usr_01JD3Y8N6V4Q2X7R5T9W1K3M5P
                 */
                user_id: components["parameters"]["UserId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["NoContent"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            417: components["responses"]["ExpectationFailed"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    updateMember: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the request safe to retry: send a unique value (a UUID v4 is ideal) and send the same
                 *     value with every retry of the same request. See the "Idempotency" conventions.
                 * @example 7c9e6679-7425-40de-944b-e07fc1f90ae7
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
                /**
                 * @description Only act if the resource's current `ETag` (a project's, a member's) is one of these (or `*`); otherwise `412 precondition_failed` and nothing changes.
                 * @example "v3"
                 */
                "If-Match"?: components["parameters"]["IfMatch"];
            };
            path: {
                /**
                 * @description The member's user id.
                 * @example usr_01JD3Y8N6V4Q2X7R5T9W1K3M5P
                 */
                user_id: components["parameters"]["UserId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "role": "admin"
                 *     }
                 */
                "application/json": components["schemas"]["MemberUpdate"];
            };
        };
        responses: {
            200: components["responses"]["MemberOk"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            417: components["responses"]["ExpectationFailed"];
            422: components["responses"]["IdempotencyKeyReused"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    listInvitations: {
        parameters: {
            query?: {
                /** @description Page size, 1 to 100 (default 20). Larger values are clamped to 100. */
                limit?: components["parameters"]["Limit"];
                /** @description Opaque cursor from `meta.next_cursor` of the previous page. Use it with the same filters. */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of pending invitations. */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    Link: components["headers"]["Link"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "data": [
                     *         {
                     *           "id": "inv_01JD3Y8N6V4Q2X7R5T9W1K3M63",
                     *           "email": "dev@example.com",
                     *           "role": "member",
                     *           "status": "pending",
                     *           "invited_by": "usr_01JD3Y8N6V4Q2X7R5T9W1K3M5P",
                     *           "created_at": "2026-03-17T10:22:14.000Z",
                     *           "expires_at": "2026-03-24T10:22:14.000Z"
                     *         }
                     *       ],
                     *       "meta": {
                     *         "limit": 20,
                     *         "has_more": false,
                     *         "next_cursor": null
                     *       }
                     *     }
                     */
                    "application/json": {
                        data: components["schemas"]["Invitation"][];
                        meta: components["schemas"]["PageMeta"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            405: components["responses"]["MethodNotAllowed"];
            417: components["responses"]["ExpectationFailed"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    createInvitation: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description Makes the request safe to retry: send a unique value (a UUID v4 is ideal) and send the same
                 *     value with every retry of the same request. See the "Idempotency" conventions.
                 * @example 7c9e6679-7425-40de-944b-e07fc1f90ae7
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "email": "dev@example.com",
                 *       "role": "member"
                 *     }
                 */
                "application/json": components["schemas"]["InvitationCreate"];
            };
        };
        responses: {
            /** @description The invitation was created; `token` is shown this once. */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    "RateLimit-Policy": components["headers"]["RateLimit-Policy"];
                    RateLimit: components["headers"]["RateLimit"];
                    "X-RateLimit-Limit": components["headers"]["X-RateLimit-Limit"];
                    "X-RateLimit-Remaining": components["headers"]["X-RateLimit-Remaining"];
                    "X-RateLimit-Reset": components["headers"]["X-RateLimit-Reset"];
                    "Idempotent-Replayed": components["headers"]["Idempotent-Replayed"];
                    Location: components["headers"]["Location"];
                    "Cache-Control": components["headers"]["Cache-Control"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "data": {
                     *         "id": "inv_01JD3Y8N6V4Q2X7R5T9W1K3M63",
                     *         "email": "dev@example.com",
                     *         "role": "member",
                     *         "status": "pending",
                     *         "invited_by": "usr_01JD3Y8N6V4Q2X7R5T9W1K3M5P",
                     *         "created_at": "2026-03-17T10:22:14.000Z",
                     *         "expires_at": "2026-03-24T10:22:14.000Z",
                     *         "token": "cpi_1hX0kq9Vb2cQm3ZyT8rL5nWdA7eF4gJ6sUoPiKxYzB0"
                     *       }
                     *     }
                     */
                    "application/json": {
                        data: components["schemas"]["InvitationCreated"];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            405: components["responses"]["MethodNotAllowed"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            417: components["responses"]["ExpectationFailed"];
            422: components["responses"]["IdempotencyKeyReused"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    deleteInvitation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description The invitation's id.
                 * @example inv_01JD3Y8N6V4Q2X7R5T9W1K3M63
                 */
                invitation_id: components["parameters"]["InvitationId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: components["responses"]["NoContent"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            405: components["responses"]["MethodNotAllowed"];
            417: components["responses"]["ExpectationFailed"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
    acceptInvitation: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "token": "cpi_1hX0kq9Vb2cQm3ZyT8rL5nWdA7eF4gJ6sUoPiKxYzB0",
                 *       "password": "correct horse battery staple"
                 *     }
                 */
                "application/json": components["schemas"]["InvitationAccept"];
            };
        };
        responses: {
            200: components["responses"]["TokenIssued"];
            400: components["responses"]["BadRequest"];
            401: components["responses"]["InvalidInvitation"];
            405: components["responses"]["MethodNotAllowed"];
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            417: components["responses"]["ExpectationFailed"];
            429: components["responses"]["TooManyRequests"];
            500: components["responses"]["InternalError"];
            503: components["responses"]["ServiceUnavailable"];
        };
    };
}
type FlattenedDeepRequired<T> = {
    [K in keyof T]-?: FlattenedDeepRequired<T[K] extends unknown[] | undefined | null ? Extract<T[K], unknown[]>[number] : T[K]>;
};
type ReadonlyArray<T> = [
    Exclude<T, undefined>
] extends [
    unknown[]
] ? Readonly<Exclude<T, undefined>> : Readonly<Exclude<T, undefined>[]>;
export const roleValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["Role"]> = ["owner", "admin", "member"];
export const scopeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["Scope"]> = ["projects:read", "projects:write", "usage:read", "keys:write", "webhooks:read", "webhooks:write", "members:read", "members:write"];
export const principalTypeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["PrincipalType"]> = ["user", "api_key"];
export const granularityValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["Granularity"]> = ["hour", "day"];
export const usageGroupByValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["UsageGroupBy"]> = ["operation", "api_key", "status_class"];
export const eventTypeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["EventType"]> = ["project.created", "project.updated", "project.deleted", "api_key.created", "api_key.rotated", "api_key.revoked", "webhook_endpoint.created", "webhook_endpoint.updated", "webhook_endpoint.deleted", "webhook_endpoint.disabled", "ping", "member.added", "member.updated", "member.removed", "invitation.created", "invitation.accepted", "invitation.revoked"];
export const enabledEventAnyOf1Values: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["EnabledEvent"]> = ["*"];
export const webhookEndpointStatusValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["WebhookEndpointStatus"]> = ["enabled", "disabled"];
export const webhookDisabledReasonValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["WebhookDisabledReason"]> = ["manual", "gone", "failing"];
export const webhookDeliveryStatusValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["WebhookDeliveryStatus"]> = ["pending", "succeeded", "failed"];
export const projectEventTypeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["ProjectEvent"]["type"]> = ["project.created", "project.updated", "project.deleted"];
export const apiKeyEventTypeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["ApiKeyEvent"]["type"]> = ["api_key.created", "api_key.rotated", "api_key.revoked"];
export const webhookEndpointEventTypeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["WebhookEndpointEvent"]["type"]> = ["webhook_endpoint.created", "webhook_endpoint.updated", "webhook_endpoint.deleted", "webhook_endpoint.disabled"];
export const pingEventTypeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["PingEvent"]["type"]> = ["ping"];
export const invitationStatusValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["InvitationStatus"]> = ["pending", "accepted", "revoked", "expired"];
export const memberEventTypeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["MemberEvent"]["type"]> = ["member.added", "member.updated", "member.removed"];
export const invitationEventTypeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["InvitationEvent"]["type"]> = ["invitation.created", "invitation.accepted", "invitation.revoked"];
export const errorCodeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["ErrorCode"]> = ["validation_failed", "malformed_json", "invalid_cursor", "unauthenticated", "invalid_token", "invalid_api_key", "invalid_credentials", "invalid_refresh_token", "insufficient_scope", "not_found", "route_not_found", "method_not_allowed", "slug_taken", "idempotency_key_in_use", "idempotency_key_reused", "precondition_failed", "payload_too_large", "unsupported_media_type", "rate_limited", "internal_error", "expectation_failed", "malformed_request", "request_timeout", "headers_too_large", "limit_exceeded", "endpoint_disabled", "service_unavailable", "insufficient_role", "last_owner", "already_member", "already_invited", "invalid_invitation"];
export const detailCodeValues: ReadonlyArray<FlattenedDeepRequired<components>["schemas"]["DetailCode"]> = ["required", "type", "enum", "format", "pattern", "minLength", "maxLength", "minimum", "maximum", "minItems", "maxItems", "uniqueItems", "minProperties", "additionalProperties", "anyOf", "invalid", "malformed_json", "malformed_unicode", "invalid_cursor", "before_from", "window_too_long", "in_the_past", "url_not_allowed", "missing_scope", "slug_taken", "stale", "idempotency_key_in_use", "idempotency_key_reused", "rate_limited", "unsupported_expectation", "weak_password", "owner_only", "last_owner", "already_member", "already_invited"];
export const componentsHeadersIdempotentReplayedValues: ReadonlyArray<FlattenedDeepRequired<components>["headers"]["Idempotent-Replayed"]> = ["true"];
