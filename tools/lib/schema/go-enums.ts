// Enum values of the built-in API, read from the Go sources of k8s.io/api: the published OpenAPI documents carry no
// `enum`, but the Go types mark them with `// +enum` (the same markers kube-openapi turns into enums when asked).
// Result: "io.k8s.api.core.v1.Container.imagePullPolicy" -> ["Always", "IfNotPresent", "Never"].
import fs from 'node:fs';
import path from 'node:path';

interface GoPackage {
  /** Definition-name prefix: io.k8s.api.core.v1 */
  prefix: string;
  /** Enum type name -> values. */
  enums: Map<string, string[]>;
  /** Struct name -> json field name -> Go type as written (PullPolicy, *v1.Protocol, []AccessMode). */
  structs: Map<string, Map<string, string>>;
  /** Import alias -> package folder relative to the module (core/v1). */
  imports: Map<string, string>;
}

const ENUM_TYPE = /\/\/ \+enum[\s\S]*?\ntype (\w+) string\b/g;
const CONST_LINE = /^\s*(?:const\s+)?\w+\s+(\w+)\s*=\s*"([^"]*)"/;
const STRUCT = /^type (\w+) struct \{$/;
const FIELD = /^\s*\w+\s+(\S+)\s+`json:"([^",]+)[^"]*"/;
const IMPORT = /^\s*(\w+)?\s*"k8s\.io\/api\/([\w.-]+\/[\w.-]+)"/;

function readPackage(moduleDir: string, folder: string): GoPackage {
  const dir = path.join(moduleDir, folder);
  const pkg: GoPackage = { prefix: `io.k8s.api.${folder.replace('/', '.')}`, enums: new Map(), structs: new Map(), imports: new Map() };
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.go') && !f.endsWith('_test.go') && !f.startsWith('zz_generated') && !f.endsWith('.pb.go'));
  const sources = files.map((f) => fs.readFileSync(path.join(dir, f), 'utf8'));
  const enumTypes = new Set<string>();
  for (const text of sources) for (const match of text.matchAll(ENUM_TYPE)) enumTypes.add(match[1]);
  for (const text of sources) {
    let inConst = false;
    let struct: Map<string, string> | undefined;
    for (const line of text.split('\n')) {
      const imported = IMPORT.exec(line);
      if (imported) pkg.imports.set(imported[1] ?? imported[2].split('/')[1], imported[2]);
      if (/^const \($/.test(line)) inConst = true;
      else if (inConst && line === ')') inConst = false;
      if (inConst || line.startsWith('const ')) {
        const constant = CONST_LINE.exec(line);
        if (constant && enumTypes.has(constant[1])) {
          const values = pkg.enums.get(constant[1]) ?? [];
          if (!values.includes(constant[2])) values.push(constant[2]);
          pkg.enums.set(constant[1], values);
        }
      }
      const opened = STRUCT.exec(line);
      if (opened) {
        struct = new Map();
        pkg.structs.set(opened[1], struct);
        continue;
      }
      if (struct && line === '}') struct = undefined;
      else if (struct) {
        const field = FIELD.exec(line);
        if (field) struct.set(field[2], field[1]);
      }
    }
  }
  return pkg;
}

/** Every `+enum` field of k8s.io/api in `moduleDir` (the Go module cache folder of k8s.io/api at the release's tag). */
export function enumFieldsOf(moduleDir: string): Map<string, string[]> {
  const folders: string[] = [];
  for (const group of fs.readdirSync(moduleDir, { withFileTypes: true })) {
    if (!group.isDirectory() || group.name.startsWith('.')) continue;
    for (const version of fs.readdirSync(path.join(moduleDir, group.name), { withFileTypes: true })) {
      if (version.isDirectory() && /^v\d/.test(version.name)) folders.push(`${group.name}/${version.name}`);
    }
  }
  const packages = new Map(folders.map((f) => [f, readPackage(moduleDir, f)]));
  const fields = new Map<string, string[]>();
  for (const [folder, pkg] of packages) {
    for (const [structName, structFields] of pkg.structs) {
      for (const [jsonName, goType] of structFields) {
        const bare = goType.replace(/^(\*|\[\])+/, '');
        const [qualifier, typeName] = bare.includes('.') ? bare.split('.') : [undefined, bare];
        const owner = qualifier ? packages.get(pkg.imports.get(qualifier) ?? '') : packages.get(folder);
        const values = owner?.enums.get(typeName);
        if (!values || values.length === 0) continue;
        const key = goType.startsWith('[]') ? `${pkg.prefix}.${structName}.${jsonName}[]` : `${pkg.prefix}.${structName}.${jsonName}`;
        fields.set(key, [...values].sort());
      }
    }
  }
  return fields;
}
