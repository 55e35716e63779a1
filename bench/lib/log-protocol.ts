/** Messages between the log bench (the reader) and its cluster worker (the API server and the printing container). */
export type ToCluster =
  /** Start a pod whose container prints on request. */
  | { readonly type: 'pod'; readonly name: string }
  /** Print `lines` lines into the pod's log, at most `window` ahead of the reader, then exit the container. */
  | { readonly type: 'produce'; readonly pod: string; readonly lines: number; readonly window: number }
  /** How many lines the reader has counted so far. */
  | { readonly type: 'consumed'; readonly count: number }
  /** Make the bulk source's next log request stream `lines` lines. */
  | { readonly type: 'bulk'; readonly lines: number }
  | { readonly type: 'close' };

export type FromCluster =
  /** `context` is the rehearsal server's kube context, `bulkContext` the bulk source's, both in `kubeconfig`. */
  | {
      readonly type: 'ready';
      readonly kubeconfig: string;
      readonly url: string;
      readonly token: string;
      readonly context: string;
      readonly bulkContext: string;
    }
  | { readonly type: 'bulk-ready' }
  | { readonly type: 'running'; readonly name: string }
  /** `busy`: the share of the time the server's thread was busy while the container printed (1 = saturated). */
  | { readonly type: 'produced'; readonly pod: string; readonly count: number; readonly busy: number }
  | { readonly type: 'closed' };
