/** Ensures `.tools/<packageName>/<binary>` exists, unpacking the Debian package on first use. */
export function ensureDebianTool(packageName: string, binary: string): Promise<string>;
/** The real kubectl from Debian's kubernetes-client package, unpacked under `.tools/`. */
export function kubectlPath(): Promise<string>;
