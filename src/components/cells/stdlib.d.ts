// Framework's standard library as a local module sees it. Framework resolves this specifier at
// build time (and copies the files FileAttachment names); tsc only needs the shape we use.
declare module "observablehq:stdlib" {
  export interface FileAttachmentHandle {
    url(): Promise<string>;
    text(): Promise<string>;
  }
  export function FileAttachment(name: string): FileAttachmentHandle;
}
