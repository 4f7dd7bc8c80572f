// Asset imports as Vite resolves them.
declare module '*.svg' {
  const url: string;
  export default url;
}
declare module '*.css';
