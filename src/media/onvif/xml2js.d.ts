// The few parts of xml2js (0.6, no types of its own) that ONVIF (the camera's services, the recorder's client) uses.
declare module 'xml2js' {
  interface ParserOptions {
    explicitArray?: boolean;
    explicitRoot?: boolean;
    tagNameProcessors?: ((name: string) => string)[];
    attrNameProcessors?: ((name: string) => string)[];
    trim?: boolean;
  }
  const xml2js: {
    parseStringPromise(xml: string, options?: ParserOptions): Promise<unknown>;
    processors: { stripPrefix(name: string): string };
  };
  export default xml2js;
}
