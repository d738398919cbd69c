declare const __TSCOMPOSE_VERSION__: string | undefined;

/** Set by the bundler from package.json; tests running the sources see the dev marker. */
export const tscomposeVersion: string =
  typeof __TSCOMPOSE_VERSION__ === 'string' ? __TSCOMPOSE_VERSION__ : '0.0.0-dev';
