/**
 * The one protocol between the checklist webview and the extension host (both import these types). The webview says
 * `ready` once it listens; the host answers with the whole `state` and sends it again on every change. An `action` names
 * a step and carries a request id; the host answers it with `result`. The host validates every message from the webview
 * (`parseWebviewMessage`): anything else is ignored and logged, and changes nothing.
 */
import type { ChecklistModel } from './model.js';

export const CHECKLIST_ACTIONS = ['run', 'diagnose', 'markDone', 'skip', 'reset', 'showGuidance', 'showLog', 'openRunbook'] as const;
export type ChecklistAction = (typeof CHECKLIST_ACTIONS)[number];

export type WebviewMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'action'; readonly requestId: number; readonly action: ChecklistAction; readonly stepId: string }
  | { readonly type: 'openLink'; readonly requestId: number; readonly url: string };

export type HostMessage =
  | { readonly type: 'state'; readonly model: ChecklistModel | undefined }
  | { readonly type: 'result'; readonly requestId: number; readonly ok: boolean; readonly message?: string };

const STEP_ID = /^[a-z][a-z0-9-]*(\.[a-z0-9-]+){1,5}$/;
/** Links the checklist opens: https pages (GitHub), and the rehearsal world on loopback. */
const LINK = /^(https:\/\/[a-z0-9.-]+|http:\/\/(127\.0\.0\.1|localhost))(:\d+)?\/[\w./%#?=&~+-]*$/i;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isRequestId = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) > 0;

/** The message if it is one of the protocol's, exactly; undefined for anything else (unknown type, extra or bad fields). */
export function parseWebviewMessage(value: unknown): WebviewMessage | undefined {
  if (!isRecord(value)) return undefined;
  const keys = Object.keys(value).sort().join(',');
  if (value.type === 'ready') return keys === 'type' ? { type: 'ready' } : undefined;
  if (value.type === 'action') {
    const { requestId, action, stepId } = value;
    if (keys !== 'action,requestId,stepId,type' || !isRequestId(requestId)) return undefined;
    if (typeof action !== 'string' || !(CHECKLIST_ACTIONS as readonly string[]).includes(action)) return undefined;
    if (typeof stepId !== 'string' || !STEP_ID.test(stepId)) return undefined;
    return { type: 'action', requestId, action: action as ChecklistAction, stepId };
  }
  if (value.type === 'openLink') {
    const { requestId, url } = value;
    if (keys !== 'requestId,type,url' || !isRequestId(requestId) || typeof url !== 'string' || url.length > 500 || !LINK.test(url)) return undefined;
    return { type: 'openLink', requestId, url };
  }
  return undefined;
}

/** What a refused message looked like, for the log: its type if it had a short one, never its whole content. */
export function describeRefused(value: unknown): string {
  const type = isRecord(value) && typeof value.type === 'string' ? value.type.slice(0, 40).replace(/[^\w.-]/g, '?') : undefined;
  return type ? `a "${type}" message that is not the protocol's` : `a message that is not an object with a known type`;
}
