// tools/lib/render/envsubst.ts against the table of fluxcd/pkg envsubst/v1.1.0 envsubst/eval_test.go (TestExpand):
// the 34 cases below are that test's params, input and output, transcribed from the tag's source (mapping
// `return expr.params[s], true`, the non-strict mode kustomize-controller runs). Before envsubst.ts, the checker's
// substitution was a regular expression that left every form but ${VAR}, ${VAR:=x}, ${VAR:-x} and ${VAR=x} unchanged.
import { describe, expect, it } from 'vitest';
import { envsubst, EnvsubstError } from '../../tools/lib/render/envsubst.ts';

const TEST_EXPAND: [Record<string, string>, string, string][] = [
  [{}, "abcdEFGH28ij", "abcdEFGH28ij"],
  [{"var01": "abcdEFGH28ij"}, "${#var01}", "12"],
  [{"var01": "abcdEFGH28ij"}, "${var01^}", "AbcdEFGH28ij"],
  [{"var01": "abcdEFGH28ij"}, "${var01^^}", "ABCDEFGH28IJ"],
  [{"var01": "ABCDEFGH28IJ"}, "${var01,}", "aBCDEFGH28IJ"],
  [{"var01": "ABCDEFGH28IJ"}, "${var01,,}", "abcdefgh28ij"],
  [{"path_name": "/home/bozo/ideas/thoughts.for.today"}, "${path_name:11}", "ideas/thoughts.for.today"],
  [{"path_name": "/home/bozo/ideas/thoughts.for.today"}, "${path_name:11:5}", "ideas"],
  [{"var": "abc"}, "${var=xyz}", "abc"],
  [{}, "${var=xyz}", "xyz"],
  [{"default_var": "foo"}, "something ${var=${default_var}}", "something foo"],
  [{"default_var": "foo1"}, "foo: ${var=${default_var}-suffix}", "foo: foo1-suffix"],
  [{"default_var": "foo1"}, "foo: ${var=prefix${default_var}-suffix}", "foo: prefixfoo1-suffix"],
  [{}, "${var:=xyz}", "xyz"],
  [{"stringZ": "abcABC123ABCabc"}, "${stringZ/%abc/XYZ}", "abcABC123ABCXYZ"],
  [{"stringZ": "abcABC123ABCabc"}, "${stringZ/#abc/XYZ}", "XYZABC123ABCabc"],
  [{"stringZ": "abcABC123ABCabc"}, "${stringZ//abc/xyz}", "xyzABC123ABCxyz"],
  [{"stringZ": "abcABC123ABCabc"}, "${stringZ/abc/xyz}", "xyzABC123ABCabc"],
  [{"filename": "bash.string.txt"}, "${filename#*.}", "string.txt"],
  [{"filename": "path/to/file"}, "${filename#*/}", "to/file"],
  [{"filename": "/path/to/file"}, "${filename#*/}", "path/to/file"],
  [{"filename": "bash.string.txt"}, "${filename##*.}", "txt"],
  [{"filename": "path/to/file"}, "${filename##*/}", "file"],
  [{"filename": "/path/to/file"}, "${filename##*/}", "file"],
  [{"filename": "bash.string.txt"}, "${filename%.*}", "bash.string"],
  [{"filename": "bash.string.txt"}, "${filename%%.*}", "bash"],
  [{"var01": "abcdEFGH28ij"}, "${var=${var01^^}}", "ABCDEFGH28IJ"],
  [{"var01": "abcdEFGH28ij"}, "$${var01}", "${var01}"],
  [{"var01": "abcdEFGH28ij"}, "some text ${var01}$${var$${var01}$var01${var01}", "some text abcdEFGH28ij${var${var01}$var01abcdEFGH28ij"],
  [{"default_var": "foo"}, "something $${var=${default_var}}", "something ${var=foo}"],
  [{"stringZ": "foo/bar"}, "${stringZ/\\//-}", "foo-bar"],
  [{"stringZ": "foo/bar/baz"}, "${stringZ//\\//-}", "foo-bar-baz"],
  [{"default_var": "foo"}, "\\\\something ${var=${default_var}}", "\\\\something foo"],
  [{"stringZ": "foo.bar"}, "${stringZ/./}", "foobar"],
];

describe('envsubst: fluxcd/pkg envsubst v1.1.0 eval_test.go TestExpand', () => {
  it.each(TEST_EXPAND)('%j: %s', (params, input, output) => {
    expect(envsubst(input, (name) => ({ value: params[name] ?? '', exists: true }))).toBe(output);
  });
});

describe('envsubst: errors, as parse/parse.go returns them', () => {
  it.each([
    ['${NAME-x}', 'missing closing brace'],
    ['${}', 'unable to parse variable name'],
    ['${a.b}', 'missing closing brace'],
    ['${NAME', 'missing closing brace'],
  ])('%s: %s', (input, message) => {
    expect(() => envsubst(input, () => ({ value: 'v', exists: true }))).toThrow(new EnvsubstError(message));
  });

  it('strict mode (template.go evalFunc): an unset plain ${VAR} is an error, one with a default is not', () => {
    const strict = (name: string) => ({ value: '', exists: name === 'SET' });
    expect(envsubst('${SET}${UNSET:-d}', strict)).toBe('d');
    expect(() => envsubst('${UNSET}', strict)).toThrow('variable not set (strict mode): "UNSET"');
  });

  it('a long document substitutes without deep recursion (the Go parser recurses once per token)', () => {
    const text = Array.from({ length: 20000 }, (_, i) => `k${i}: \${V}`).join('\n');
    expect(envsubst(text, () => ({ value: 'x', exists: true })).split('\n')[19999]).toBe('k19999: x');
  });
});
