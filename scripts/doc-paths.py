#!/usr/bin/env python3
"""Rewrite `influx_core::...` paths in doc comments to the path a user of the facade writes.

Users read the docs of influx-core's items through the `influx` facade crate (src/lib.rs
re-exports them, sometimes at other paths), so every example and every mention names
`influx::...`, and can be pasted as is.

What it does, in `///` and `//!` comments of influx-core/src and influx-derive/src only:

* every `influx_core::<path>` becomes the facade path of the same item: the mapping is read
  from the `pub use influx_core::...` lines of src/lib.rs (and the root re-exports of
  influx-core/src/lib.rs, so `influx_core::client::Client` is known to be `influx::Client`).
  Where the facade has the item at the same path, that path is kept; otherwise the shortest
  facade path wins. `EXPLICIT` below covers what cannot be derived.
* `use influx_core::{...};` lines are re-grouped when their items move to different modules.
* intra-doc links whose target is `influx_core::X` get the target `crate::X` (resolves when
  documenting influx-core, and rustdoc follows it on the facade too); the link text shows the
  facade path.
* every Rust code example of influx-core that names `influx::` gets the hidden first line
  `# extern crate influx_core as influx;`, so it compiles as influx-core's own doctest
  (rustdoc hoists `extern crate` out of the generated `main`).

Usage: scripts/doc-paths.py [--check] [--verbose] [FILE_OR_DIR ...]
  --check    change nothing; exit 1 if a file would change (CI).
  --verbose  list every path left as `influx_core::` (no facade path, or in `EXPLICIT` as None).
Running it twice changes nothing the second time. Python 3 standard library only.
"""

import argparse
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FACADE_LIB = os.path.join(ROOT, "src", "lib.rs")
CORE_LIB = os.path.join(ROOT, "influx-core", "src", "lib.rs")
DEFAULT_TARGETS = [os.path.join(ROOT, "influx-core", "src"), os.path.join(ROOT, "influx-derive", "src")]
# Crates whose doctests get the hidden `extern crate` line (influx-derive names no `influx::` in
# a doctest; if it ever does, its doctests can use the same line since it depends on influx-core).
HIDDEN_LINE = "# extern crate influx_core as influx;"

# core path (after `influx_core::`) -> facade path (after `influx::`), for what src/lib.rs does
# not say. `None` keeps the `influx_core::` path deliberately (no facade path exists).
EXPLICIT = {}

IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
PATH_RE = re.compile(r"\binflux_core((?:::" + IDENT + r")+)")
USE_RE = re.compile(r"\buse\s+influx_core::([^;]*);")
DOC_RE = re.compile(r"^(\s*//[/!])(.*)$")
FENCE_RE = re.compile(r"^(\s*)(```+|~~~+)\s*(.*)$")
# `[text](target)` and `[text]: target` where the target is an influx_core path.
LINK_TARGET_RE = re.compile(r"(\]\(|\]:\s*)((?:[a-z]+@)?)influx_core::(" + IDENT + r"(?:::" + IDENT + r")*)([!()]*)")
# `[`influx_core::X`]` used as its own target (not followed by `(`, `[` or `:`).
SHORTCUT_RE = re.compile(r"\[`((?:[a-z]+@)?)influx_core::(" + IDENT + r"(?:::" + IDENT + r")*)(!|\(\))?`\](?![(\[:])")
RUSTDOC_ATTRS = {
    "", "rust", "ignore", "no_run", "should_panic", "compile_fail", "test_harness", "standalone_crate",
    "allow_fail", "edition2015", "edition2018", "edition2021", "edition2024",
}


# ---------------------------------------------------------------- reading the re-exports


def strip_rust(src):
    """Source without comments, string literals replaced by "" (enough for `pub use` lines)."""
    out, i, n = [], 0, len(src)
    while i < n:
        c = src[i]
        if src.startswith("//", i):
            j = src.find("\n", i)
            i = n if j < 0 else j
        elif src.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if src.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif src.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
        elif c == '"' or (c == "r" and re.match(r'r#*"', src[i:]) and (i == 0 or not src[i - 1].isalnum())):
            m = re.match(r'r(#*)"', src[i:])
            if m:
                end = src.find('"' + m.group(1), i + len(m.group(0)))
                i = end + 1 + len(m.group(1))
            else:
                i += 1
                while i < n and src[i] != '"':
                    i += 2 if src[i] == "\\" else 1
                i += 1
            out.append('""')
        else:
            out.append(c)
            i += 1
    return "".join(out)


def tokens(src):
    return re.findall(IDENT + r"|::|\S", strip_rust(src))


def parse_use_tree(toks, i, prefix, out):
    """Parse a use tree at toks[i]; append (path, alias, glob) leaves to out; return next index."""
    path = list(prefix)
    while True:
        t = toks[i]
        if t == "{":
            i += 1
            while toks[i] != "}":
                i = parse_use_tree(toks, i, path, out)
                if toks[i] == ",":
                    i += 1
            return i + 1
        if t == "*":
            out.append((path, None, True))
            return i + 1
        if t == "self":
            i += 1
        else:
            path = path + [t]
            i += 1
        if toks[i] == "::":
            i += 1
            continue
        alias = None
        if toks[i] == "as":
            alias, i = toks[i + 1], i + 2
        out.append((path, alias, False))
        return i


def pub_uses(src):
    """(module path, leaves) for each `pub use` outside `#[doc(hidden)]` items."""
    toks = tokens(src)
    result, mods, i, hidden = [], [], 0, False
    stack = []  # per open brace: module name pushed (or None), whether hidden
    while i < len(toks):
        t = toks[i]
        if t == "#":
            j = i + 1 + (toks[i + 1] == "!")
            depth, k = 0, j
            while True:
                depth += toks[k] == "["
                depth -= toks[k] == "]"
                k += 1
                if depth == 0:
                    break
            attr = toks[j:k]
            if "doc" in attr and "hidden" in attr:
                hidden = True
            i = k
            continue
        if t == "pub" and toks[i + 1] == "use":
            leaves = []
            i = parse_use_tree(toks, i + 2, [], leaves)
            if not hidden and not any(h for _, h in stack):
                result.append((list(mods), leaves))
            hidden = False
            continue
        if t == "mod" and toks[i + 2] == "{":
            mods.append(toks[i + 1])
            stack.append((True, hidden or any(h for _, h in stack)))
            hidden, i = False, i + 3
            continue
        if t == "{":
            stack.append((False, False))
        elif t == "}":
            pushed, _ = stack.pop()
            if pushed:
                mods.pop()
        if t in (";", "{", "}"):
            hidden = False  # the attribute belonged to another item
        i += 1
    return result


class Paths:
    def __init__(self, facade_src, core_src):
        # core root re-exports: name -> path in its module (`Client` -> client::Client)
        self.core_root = {}
        for mods, leaves in pub_uses(core_src):
            if mods:
                continue
            for path, alias, glob in leaves:
                if not glob and path[0] not in ("crate", "self", "super"):
                    self.core_root[alias or path[-1]] = path
        # facade rules: core path prefix -> facade path prefix
        self.rules = []
        for mods, leaves in pub_uses(facade_src):
            for path, alias, glob in leaves:
                if not path or path[0] != "influx_core":
                    continue
                core = path[1:]
                facade = list(mods) if glob else list(mods) + [alias or path[-1]]
                for c in self.aliases(core):
                    self.rules.append((c, facade))

    def aliases(self, core):
        out = [list(core)]
        if core and core[0] in self.core_root:
            out.append(self.core_root[core[0]] + core[1:])
        for name, target in self.core_root.items():
            if core[: len(target)] == target:
                out.append([name] + core[len(target):])
        return out

    def core_valid(self, path, core):
        """Is `path` a path of the same item in influx-core (so the doctest compiles there)?"""
        return any(path == a for a in self.aliases(core))

    def facade(self, core):
        """Facade path (list) of the core path `core` (list), or None."""
        for n in range(len(core), 0, -1):
            k = "::".join(core[:n])
            if k in EXPLICIT:
                v = EXPLICIT[k]
                return None if v is None else v.split("::") + core[n:]
        cands = []
        for a in self.aliases(core):
            for c, f in self.rules:
                if a[: len(c)] == c:
                    cands.append(f + a[len(c):])
        if not cands:
            return None
        if core in cands:
            return list(core)
        cands.sort(key=lambda p: (len(p), not self.core_valid(p, core), "::".join(p)))
        return cands[0]


# ---------------------------------------------------------------- rewriting


class Rewriter:
    def __init__(self, paths, is_core):
        self.paths = paths
        self.is_core = is_core
        self.unmapped = []  # (where, path)
        self.not_in_core = []  # (where, facade path) in code that influx-core cannot compile
        self.where = ""

    def map(self, core, in_code):
        f = self.paths.facade(core)
        if f is None:
            self.unmapped.append((self.where, "influx_core::" + "::".join(core)))
        elif in_code and self.is_core and not self.paths.core_valid(f, core):
            self.not_in_core.append((self.where, "influx::" + "::".join(f)))
        return f

    def path_sub(self, in_code):
        def sub(m):
            core = m.group(1)[2:].split("::")
            f = self.map(core, in_code)
            return m.group(0) if f is None else "influx::" + "::".join(f)

        return sub

    def rewrite_use(self, m, in_code):
        toks = re.findall(IDENT + r"|::|\S", m.group(1)) + [";"]
        leaves = []
        try:
            parse_use_tree(toks, 0, [], leaves)
        except (IndexError, KeyError):
            return m.group(0)
        mapped = []
        for path, alias, glob in leaves:
            f = self.map(path, in_code) if path else None
            if f is None:
                return m.group(0)
            mapped.append((f, alias, glob))
        if all(f == path for (f, _, _), (path, _, _) in zip(mapped, leaves)):
            return "use influx::" + m.group(1) + ";"
        return "use influx::" + render_use(mapped) + ";"

    def line(self, text, in_code):
        if "influx_core::" not in text:
            return text
        if in_code:
            text = USE_RE.sub(lambda m: self.rewrite_use(m, True), text)
        else:
            if self.is_core:
                text = LINK_TARGET_RE.sub(self.link_target, text)
                text = SHORTCUT_RE.sub(self.shortcut, text)
        return PATH_RE.sub(self.path_sub(in_code), text)

    def link_target(self, m):
        return m.group(1) + m.group(2) + "crate::" + m.group(3) + m.group(4)

    def shortcut(self, m):
        core = m.group(2).split("::")
        f = self.map(core, False)
        if f is None:
            return m.group(0)
        suffix = m.group(3) or ""
        return "[`influx::%s%s`](%scrate::%s%s)" % ("::".join(f), suffix, m.group(1), m.group(2), suffix)


def render_use(leaves):
    """`a::{b, c::d}` from (path, alias, glob) leaves, first-seen order."""
    root = {"children": {}, "leaf": None}
    for path, alias, glob in leaves:
        node = root
        for seg in path + (["*"] if glob else []):
            node = node["children"].setdefault(seg, {"children": {}, "leaf": None})
        node["leaf"] = (" as " + alias) if alias else ""

    def items(node):
        out = []
        if node["leaf"] is not None and node is not root:
            out.append("self" + node["leaf"])
        for name, child in node["children"].items():
            out.append(render(name, child))
        return out

    def render(name, node):
        if not node["children"]:
            return name + (node["leaf"] or "")
        its = items(node)
        return name + "::" + (its[0] if len(its) == 1 else "{" + ", ".join(its) + "}")

    its = items(root)
    return its[0] if len(its) == 1 else "{" + ", ".join(its) + "}"


def is_rust_fence(info):
    toks = [t for t in re.split(r"[\s,]+", info.strip()) if t]
    if not toks:
        return True
    return all(t in RUSTDOC_ATTRS or t.startswith("ignore-") or re.fullmatch(r"E\d{4}", t) for t in toks)


def rewrite_file(text, rw):
    lines = text.split("\n")
    out = []
    in_fence = None  # (fence marker, is_rust, index in out of the opening line, doc prefix)
    block = []  # indices in `out` of the current code block's lines
    prev_kind = None
    for lineno, line in enumerate(lines, 1):
        rw.where = "%d" % lineno
        m = DOC_RE.match(line)
        if not m:
            if in_fence:  # a doc comment ended inside a fence: close it
                in_fence, block = None, []
            prev_kind = None
            out.append(line)
            continue
        prefix, body = m.group(1), m.group(2)
        kind = prefix.strip()
        if kind != prev_kind and in_fence:
            in_fence, block = None, []
        prev_kind = kind
        content = body[1:] if body.startswith(" ") else body
        lead = body[: len(body) - len(content)]
        fm = FENCE_RE.match(content)
        if in_fence is None and fm:
            in_fence = (fm.group(2), is_rust_fence(fm.group(3)), len(out), prefix + lead + fm.group(1))
            block = []
            out.append(line)
            continue
        if in_fence and fm and fm.group(2).startswith(in_fence[0][0]) and len(fm.group(2)) >= len(in_fence[0]) \
                and not fm.group(3).strip():
            marker, is_rust, open_at, inner = in_fence
            if is_rust and rw.is_core:
                code = [out[k] for k in block]
                names = any(re.search(r"(?<![\w:])influx::", c) for c in code)
                has = any(c.strip().endswith(HIDDEN_LINE) for c in code)
                if names and not has:
                    out.insert(open_at + 1, inner + HIDDEN_LINE)
            in_fence, block = None, []
            out.append(line)
            continue
        new = prefix + lead + rw.line(content, in_fence is not None)
        if in_fence:
            block.append(len(out))
        out.append(new)
    return "\n".join(out)


def rust_files(targets):
    for t in targets:
        if os.path.isfile(t):
            yield t
        else:
            for d, dirs, files in os.walk(t):
                dirs.sort()
                for f in sorted(files):
                    if f.endswith(".rs"):
                        yield os.path.join(d, f)


def dedup(items):
    return list(dict.fromkeys(items))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("targets", nargs="*")
    args = ap.parse_args()
    with open(FACADE_LIB) as f:
        facade = f.read()
    with open(CORE_LIB) as f:
        core = f.read()
    paths = Paths(facade, core)
    core_dir = os.path.join(ROOT, "influx-core") + os.sep
    changed, unmapped, not_in_core = [], [], []
    for path in rust_files(args.targets or DEFAULT_TARGETS):
        with open(path) as f:
            text = f.read()
        rw = Rewriter(paths, os.path.abspath(path).startswith(core_dir))
        new = rewrite_file(text, rw)
        rel = os.path.relpath(path, ROOT)
        unmapped += dedup(("%s:%s" % (rel, w), p) for w, p in rw.unmapped)
        not_in_core += dedup(("%s:%s" % (rel, w), p) for w, p in rw.not_in_core)
        if new != text:
            changed.append(rel)
            if not args.check:
                with open(path, "w") as f:
                    f.write(new)
    verb = "would change" if args.check else "changed"
    for rel in changed:
        print("%s %s" % (verb, rel))
    if args.verbose:
        for w, p in unmapped:
            print("%s: no facade path for %s (left as is)" % (w, p))
    if unmapped:
        print("%d mention(s) have no facade path (left as is; --verbose lists them)" % len(unmapped), file=sys.stderr)
    for w, p in not_in_core:
        print("%s: %s is not a path of influx-core, so the doctest will not compile there: re-export it at the"
              " same path in influx-core (as its root does for `Render`) or add an EXPLICIT entry" % (w, p), file=sys.stderr)
    if args.check and changed:
        sys.exit(1)


if __name__ == "__main__":
    main()
