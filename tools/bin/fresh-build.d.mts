export const BUILD_DIR: string;
export const SOURCE_ROOT: string;
export const BUILD_STAMP: string;
export const BUILT_FROM: string[];
export function freshBuild(): string | undefined;
